import pytest

from accountability.delivery import funding_set, funding_suggest, recipient_set
from civic.models import Contribution
from forums.models import ProposalStatus
from tests.ballots.conftest import _no_frozen_cache, vote_world  # noqa: F401
from tests.factories import BodyFactory, CategoryFactory, ProposalFactory
from tests.security.conftest import world  # noqa: F401


@pytest.fixture
def open_world(world, settings):  # noqa: F811
    """The security tests' world (an open vote, a counted one with a funded proposal,
    a published and a draft decision...) with what must never be published beside what
    must: a hidden and a draft proposal, a second body with a ring-fenced share of the
    neighbourhood's budget, who paid for the funded proposal and its grant recipient."""
    w = world
    forum = w["forum"]
    category = w["proposal"].category
    w["hidden"] = ProposalFactory(
        forum=forum, category=category, title="Hidden planters", hidden=True
    )
    w["draft_proposal"] = ProposalFactory(
        forum=forum,
        category=category,
        title="Draft bike hangar",
        status=ProposalStatus.DRAFT,
    )
    budget = w["old_mill"].budgets.get()
    nhs = BodyFactory(name="NHS Shire", slug="nhs-shire", kind="nhs")
    Contribution.objects.create(
        budget=budget,
        body=nhs,
        amount_pence=15000_00,
        ring_fence_category=CategoryFactory(name="Health", slug="health"),
        ring_fenced_pence=5000_00,
    )
    funded = w["funded"]
    funding_set(
        actor=w["users"]["officer"],
        proposal=funded,
        allocations=funding_suggest(funded),
    )
    w["recipient"] = recipient_set(
        actor=w["users"]["officer"],
        proposal=funded,
        data={
            "name": "Zed Town Pantry",
            "charity_number": "1190001",
            "company_number": "",
            "award_date": funded.created_at.date(),
        },
    )
    return w
