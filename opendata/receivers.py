"""When the open data last changed: every save or delete of a record the API or the
downloads show moves the time on (kept in the cache, shared by every process where
the cache is Redis). Read for Last-Modified and to know when downloads are stale."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from accountability.models import (
    Decision,
    ExpectedBenefit,
    FundingAttribution,
    GrantRecipient,
    Milestone,
)
from ballots.models import Cycle, Section, Tally
from civic.models import (
    Budget,
    Category,
    Contribution,
    FrameworkRules,
    Place,
    PublicBody,
)
from forums.models import Comment, Forum, Proposal, ProposalTransition

KEY = "opendata:changed"
OPEN_MODELS = (
    Place,
    PublicBody,
    Category,
    Budget,
    Contribution,
    FrameworkRules,
    Forum,
    Proposal,
    ProposalTransition,
    Comment,
    Cycle,
    Section,
    Tally,
    Decision,
    Milestone,
    FundingAttribution,
    ExpectedBenefit,
    GrantRecipient,
)


def data_changed_at() -> int:
    """Seconds since the epoch (whole seconds: HTTP dates have no fraction)."""
    found = cache.get(KEY)
    if found is None:
        found = int(time.time())
        cache.add(KEY, found, None)
        found = cache.get(KEY, found)
    return found


def _changed(sender, **kwargs):
    cache.set(KEY, int(time.time()), None)


for model in OPEN_MODELS:
    post_save.connect(_changed, sender=model, dispatch_uid=f"opendata-{model.__name__}")
    post_delete.connect(
        _changed, sender=model, dispatch_uid=f"opendata-del-{model.__name__}"
    )
