"""What the open data holds, read once for the API and the downloads: exactly what the
public pages show (published, not hidden; results only once published; decisions only
once published; no personal data, no register, no ballots)."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from accountability.models import (
    Decision,
    ExpectedBenefit,
    FundingAttribution,
    GrantRecipient,
    Milestone,
)
from ballots.models import Cycle, Phase
from ballots.selectors.results import final_results
from civic import selectors as civic_selectors
from civic.framework import resolve_rules
from civic.models import Budget, Place
from civic.selectors import current_budget
from forums.models import PUBLIC_STATUSES, Comment, Proposal, ProposalTransition
from forums.workflow import DELIVERABLE

# A cycle's phases and the field that holds the date each starts.
PHASE_DATES = [(phase, f"{phase}_start") for phase in Phase]


def places():
    return Place.objects.order_by("path")


def under(place: Place | None, field: str):
    """A filter for records in `place` and the places inside it."""
    return Q(**{f"{field}__startswith": place.path}) if place else Q()


def public_proposals(place: Place | None = None):
    """Proposals as residents see them listed, with their comment counts."""
    return (
        Proposal.objects.filter(status__in=PUBLIC_STATUSES, hidden=False)
        .filter(under(place, "forum__place__path"))
        .select_related("category", "forum__place")
        .annotate(
            # A subquery per row returned (a page), not a count over every proposal.
            comment_count=Coalesce(
                Subquery(
                    Comment.objects.filter(proposal=OuterRef("pk"), hidden=False)
                    .order_by()
                    .values("proposal")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
        )
        .order_by("pk")
    )


def timeline(proposal: Proposal) -> list[ProposalTransition]:
    """A proposal's public status history (who moved it is not published)."""
    return list(proposal.transitions.order_by("created_at", "pk"))


def budgets(place: Place | None = None):
    return (
        Budget.objects.filter(under(place, "place__path"))
        .select_related("place")
        .with_totals()
        .with_contributions()
        .order_by("place__path", "-period_start", "pk")
    )


def place_money(place: Place) -> dict:
    """The place page's figures (civic.selectors.place_money, which the page uses)."""
    return civic_selectors.place_money(place, current_budget(place))


def rules_in_force(place: Place) -> list[dict]:
    eff = resolve_rules(place)
    return [
        {
            "name": name,
            "value": rule.value,
            "set_by": rule.source.slug if rule.source else None,
            "locked_by": rule.locked_by.slug if rule.locked_by else None,
        }
        for name, rule in eff.values.items()
    ]


def cycles(place: Place | None = None):
    return (
        Cycle.objects.filter(under(place, "place__path"))
        .select_related("place")
        .order_by("-created_at", "pk")
    )


def results(cycle: Cycle) -> list[dict] | None:
    """A cycle's results per budget, or None before they are published."""
    if not cycle.results_published:
        return None
    return final_results(cycle)


def decisions(place: Place | None = None):
    return (
        Decision.objects.filter(published_at__isnull=False)
        .filter(under(place, "place__path"))
        .select_related("place", "cycle", "amends")
        .prefetch_related("proposals")
        .order_by("-decided_on", "pk")
    )


def delivery(place: Place | None = None):
    """Funded projects with their milestones, who paid and who benefits."""
    return (
        Proposal.objects.filter(status__in=DELIVERABLE, hidden=False)
        .filter(under(place, "forum__place__path"))
        .select_related("forum__place", "category", "grant_recipient")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("planned_date")),
            Prefetch(
                "funding",
                queryset=FundingAttribution.objects.select_related(
                    "contribution__body"
                ).order_by("pk"),
            ),
            Prefetch(
                "benefits",
                queryset=ExpectedBenefit.objects.select_related("body").order_by("pk"),
            ),
        )
        .order_by("pk")
    )


def grants():
    """Funded projects granted to a community organisation (360Giving)."""
    return (
        GrantRecipient.objects.filter(
            proposal__status__in=DELIVERABLE, proposal__hidden=False
        )
        .select_related("proposal__forum__place", "proposal__category")
        .prefetch_related(
            Prefetch(
                "proposal__funding",
                queryset=FundingAttribution.objects.select_related(
                    "contribution__body"
                ),
            )
        )
        .order_by("pk")
    )
