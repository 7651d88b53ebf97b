"""Reads for cycles, ballots and results."""

from __future__ import annotations

import hashlib
import random

from django.db.models import Count, Prefetch, Subquery
from django.db.models.functions import Coalesce

from ballots import ballot_box
from ballots.models import (
    Ballot,
    Cycle,
    CycleProject,
    Phase,
    Tally,
    VoterRecord,
    VotingCode,
)
from civic.models import Category, Place, Role, RoleKind


def ballot_sections(cycle: Cycle, *, seed: str, sort: str = "") -> list[dict]:
    """Sections with their projects, in a stable random order per voter when the rules
    ask for it (to remove position bias), or sorted by cost or category on request."""
    rules = cycle.rules
    categories = {c.slug: c.name for c in Category.objects.all()}
    out = []
    for section in cycle.sections.select_related("place").prefetch_related(
        "projects__proposal"
    ):
        projects = list(section.projects.all())
        if sort == "cost":
            projects.sort(key=lambda p: (p.cost_pence, p.title))
        elif sort == "category":
            projects.sort(key=lambda p: (categories.get(p.category_slug, ""), p.title))
        elif rules["randomise_order"]:
            digest = hashlib.sha256(f"{seed}:{section.pk}".encode()).digest()
            random.Random(digest).shuffle(projects)
        else:
            projects.sort(key=lambda p: p.title)
        for p in projects:
            p.category_name = categories.get(p.category_slug, "")
        out.append({"section": section, "projects": projects})
    return out


def latest_tallies(cycle: Cycle, *, published_only: bool = True) -> list[Tally]:
    """Each budget's latest result (published only, unless told), its section with
    the projects, their proposals and the ring-fence waivers read with it: a fixed
    number of queries however many budgets the ballot holds."""
    tallies = Tally.objects.filter(section__cycle=cycle)
    if published_only:
        tallies = tallies.filter(published=True)
    latest: dict[int, Tally] = {}
    for tally in tallies.order_by("section_id", "-computed_at", "-id"):
        latest.setdefault(tally.section_id, tally)
    sections = (
        cycle.sections.filter(pk__in=latest)
        .select_related("place")
        .prefetch_related(
            Prefetch(
                "projects",
                queryset=CycleProject.objects.select_related("proposal__forum"),
            ),
            "fence_waivers",
        )
    )
    out = []
    for section in sections:
        tally = latest[section.pk]
        tally.section_cached = section
        out.append(tally)
    return out


def eligible_count(cycle: Cycle) -> int:
    """Residents verified in the cycle's place or any place below it, and the voting
    codes posted for the cycle and not cancelled (each code is one eligible voter
    without an account, whether or not it has voted)."""

    codes = (
        VotingCode.objects.filter(batch__cycle=cycle, revoked_at__isnull=True)
        .values("batch__cycle")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # One query: the residents counted, the codes in a subquery.
    # The places as a subquery, not a join: the count reads only the roles' rows.
    places = Place.objects.filter(path__startswith=cycle.place.path).values("pk")
    return Role.objects.filter(kind=RoleKind.RESIDENT, place__in=places).aggregate(
        n=Count("user", distinct=True) + Coalesce(Subquery(codes), 0)
    )["n"]


def turnout(cycle: Cycle, channels: dict[str, int] | None = None) -> dict:
    """Ballots cast against the electorate: counted live while voting is open (people
    verified after voting opened may vote too), frozen when voting closes. An imported
    election has no register: its ballots are what was cast. `channels`: the
    register's counts by channel (`channel_counts`), when the caller has read them."""
    if cycle.archived:
        cast = Ballot.objects.filter(cycle=cycle).count()
    elif channels is not None:
        cast = sum(channels.values())
    else:
        cast = VoterRecord.objects.filter(cycle=cycle).count()
    if cycle.phase == Phase.VOTING:
        electorate = eligible_count(cycle)
    else:
        electorate = cycle.electorate or 0
    return {
        "cast": cast,
        "electorate": electorate,
        "percent": round(100 * cast / electorate, 1) if electorate else None,
    }


def live_support(
    cycle: Cycle, counted: dict | None = None, sections=None
) -> dict[int, dict[str, int]]:
    """Per section, per project: approvals (count) or points so far, from the box's
    counts (`ballot_box.counted`: a row per distinct choice, not per ballot).
    `counted` and `sections` (with their projects): when the caller has them."""
    method = cycle.rules["ballot_method"]
    counted = ballot_box.counted(cycle.pk) if counted is None else counted
    if sections is None:
        sections = cycle.sections.prefetch_related("projects")
    out = {}
    for section in sections:
        bucket = {p.code: 0 for p in section.projects.all()}
        for value, n in counted.get(section.pk, ()):
            if method == "points":
                for code, pts in value.items():
                    if code in bucket:
                        bucket[code] += int(pts) * n
            elif method == "ranked":
                k = cycle.rules["max_ranked"] or len(value)
                for i, code in enumerate(value):
                    if code in bucket:
                        bucket[code] += (k - i) * n
            else:
                for code in value:
                    if code in bucket:
                        bucket[code] += n
        out[section.pk] = bucket
    return out


def channel_counts(cycle: Cycle) -> dict[str, int]:
    return dict(
        VoterRecord.objects.filter(cycle=cycle)
        .values_list("channel")
        .annotate(n=Count("id"))
    )


def sections_of(cycle: Cycle):
    """The cycle's budgets on the ballot, with their place and budget."""
    return cycle.sections.select_related("place", "budget")
