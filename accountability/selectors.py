"""Reads for decisions and delivery, shaped for pages."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from civic.models import Place
from forums.models import Proposal, ProposalStatus
from forums.workflow import DELIVERABLE

from .models import Decision, Milestone


def paid_for(place: Place) -> dict:
    """'What your budget paid for': funded projects in and below the place, past cycles
    included."""
    late = Milestone.objects.filter(
        proposal=OuterRef("pk"),
        actual_date__isnull=True,
        planned_date__lt=timezone.localdate(),
    )
    projects = list(
        Proposal.objects.filter(
            forum__place__path__startswith=place.path,
            status__in=DELIVERABLE,
        )
        .select_related("forum", "category")
        .annotate(
            is_late=Exists(late),
            latest_percent=Subquery(
                Milestone.objects.filter(proposal=OuterRef("pk"))
                .order_by("-planned_date", "-id")
                .values("percent_done")[:1]
            ),
        )
        .order_by("-created_at")[:50]
    )
    for p in projects:
        delivered = p.status == ProposalStatus.DELIVERED
        p.percent_done = 100 if delivered else p.latest_percent or 0
        p.is_late = p.is_late and not delivered  # a delivered project is not late
    return {
        "projects": projects,
        "spent": sum(p.cost_pence for p in projects),
        "delivered": sum(1 for p in projects if p.status == ProposalStatus.DELIVERED),
        "late": sum(1 for p in projects if p.is_late),
    }


def published_decisions(place: Place) -> list[Decision]:
    """The latest decisions published for the place or a place above it."""
    return list(
        Decision.objects.filter(published_at__isnull=False)
        .filter(place__path__in=place.ancestor_paths())
        .order_by("-decided_on")[:5]
    )
