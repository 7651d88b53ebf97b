"""Reads for decisions and delivery, shaped for pages."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
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
        .annotate(is_late=Exists(late))
        .order_by("-created_at")[:50]
    )
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
