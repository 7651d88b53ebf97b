"""Reads in forums, shaped for pages, each in a bounded number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Q
from wagtail import hooks

from civic.models import Budget, Category
from civic.money import pounds

from .filters import STATUS_CHOICES, ProposalFilter
from .models import (
    Comment,
    Forum,
    Idea,
    IdeaStatus,
    Membership,
    MembershipStatus,
    Proposal,
    ProposalStatus,
)


def proposal_filter(forum: Forum, *, params: dict | None = None) -> ProposalFilter:
    """A forum's proposals, filtered and sorted from query parameters; `.qs` leaves out
    a filter whose value cannot be read, and `.errors` says which and why."""
    return ProposalFilter(
        params or {},
        queryset=Proposal.objects.filter(forum=forum, hidden=False).select_related(
            "category", "forum"
        ),
    )


def forum_page(forum: Forum, params: dict, page_number) -> dict:
    filtered = proposal_filter(forum, params=params)
    # The cards show their first picture: fetched for the page in three queries.
    cards = filtered.qs.prefetch_related("pictures__image__renditions")
    page = Paginator(cards, 24).get_page(page_number)
    recent = list(
        Comment.objects.filter(forum=forum, hidden=False)
        .select_related("author", "proposal__forum", "topic__forum")
        .order_by("-created_at")[:6]
    )
    categories = Category.objects.filter(proposal__forum=forum).distinct()
    return {
        "forum": forum,
        "place": forum.place,
        # Only the total is shown here: no need for the contributions.
        "budget": Budget.objects.current()
        .filter(place=forum.place)
        .with_totals()
        .first(),
        # What the layers above add (wagtail hook "forum_page"): the place's current
        # cycle (ballots/wagtail_hooks.py).
        **{
            key: value
            for extend in hooks.get_hooks("forum_page")
            for key, value in extend(forum).items()
        },
        "page": page,
        "filter_errors": [
            f"{filtered.form.fields[name].label}: {error}"
            for name, errors in filtered.errors.items()
            for error in errors
        ],
        "recent_comments": recent,
        "categories": list(categories),
        "topics": list(
            forum.topics.filter(hidden=False)
            .select_related("forum")
            .annotate(num_comments=Count("comments"))[:5]
        ),
        "open_ideas": lambda: Idea.objects.filter(
            forum=forum, status=IdeaStatus.SUBMITTED
        ).count(),
        "statuses": STATUS_CHOICES,
    }


@dataclass
class Node:
    comment: Comment
    children: list = field(default_factory=list)


def comment_tree(thread) -> list[Node]:
    """All comments of a proposal or topic in one query, as a tree in posting order."""
    filter_kw = (
        {"proposal": thread} if isinstance(thread, Proposal) else {"topic": thread}
    )
    comments = list(
        Comment.objects.filter(**filter_kw)
        .select_related("author")
        .order_by("created_at", "id")
    )
    nodes = {c.pk: Node(c) for c in comments}
    roots: list[Node] = []
    for c in comments:
        (nodes[c.parent_id].children if c.parent_id in nodes else roots).append(
            nodes[c.pk]
        )
    return roots


def membership_of(user, forum: Forum) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(forum=forum, user=user).first()


def pending_members(forum: Forum):
    return Membership.objects.filter(
        forum=forum, status=MembershipStatus.PENDING
    ).select_related("user")


def ideas_for_review(forum: Forum):
    return (
        Idea.objects.filter(forum=forum)
        .select_related("author", "category", "merged_into", "forum")
        .order_by("status", "-created_at")
    )


def _feature(p: Proposal) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [p.longitude, p.latitude]},
        "properties": {
            "id": p.pk,
            "title": p.title,
            "url": p.get_absolute_url(),
            "status": p.status,
            "status_label": str(ProposalStatus(p.status).label),
            "cost": pounds(p.cost_pence),
            "category": p.category.name,
        },
    }


def point_feature(proposal: Proposal) -> dict | None:
    """One proposal's marker, if it has a location."""
    if proposal.latitude is None:
        return None
    return {"type": "FeatureCollection", "features": [_feature(proposal)]}


def map_features(place, params: dict | None = None) -> dict:
    """The public proposals placed on the map in a place and everything inside it, as a
    GeoJSON FeatureCollection (the forum page's filters apply)."""
    filtered = ProposalFilter(
        params or {},
        queryset=Proposal.objects.filter(
            forum__place__path__startswith=place.path,
            hidden=False,
            latitude__isnull=False,
        ).select_related("forum", "category"),
    )
    return {
        "type": "FeatureCollection",
        "features": [_feature(p) for p in filtered.qs[:2000]],
    }


def code_batches(forum: Forum):
    """A forum's verification code batches, each with how many codes it holds and how
    many were used (the codes pages, on the site and in the back office)."""
    return forum.code_batches.annotate(
        total=Count("codes"),
        used=Count("codes", filter=Q(codes__used_at__isnull=False)),
    )
