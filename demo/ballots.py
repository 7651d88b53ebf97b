"""Demo cycles: Old Mill voting now with a budget ballot (so resident@example.org can
vote), the Millbrook Ward vote on two budgets (ranked) and the Eastbrook District vote
(points) open too, Old Mill's two polling points, Riverside North's approval vote set
for next week, Castle Green
collecting residents' supports to build its shortlist, and Canal Side's previous cycle
counted and published (what was funded before, and why). Idempotent."""

from __future__ import annotations

import datetime as dt
import random

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from ballots import services, voting_codes
from ballots.models import (
    Cycle,
    CycleProject,
    OpeningTime,
    Phase,
    PollingPoint,
    PollOfficerShift,
    Section,
    VotingCode,
)
from ballots.services import supports
from ballots.validation import BallotInvalid, VotingError
from civic.models import Budget, Category, Place, Role, RoleKind, User
from demo.civic import DEMO_PASSWORD, demo_point
from demo.forums import located
from forums.models import Forum, Proposal, ProposalStatus, ProposalTransition
from forums.sanitise import clean_html

PAST_PROPOSALS = [
    ("Towpath benches", "environment", 4000, 28),
    ("Canal clean-up kit", "environment", 2500, 25),
    ("Teen boxing club", "youth", 8000, 21),
    ("Boatyard heritage open day", "culture", 3000, 12),
    ("Speed cushions on Wharf Road", "transport", 15000, 19),
    ("Mural on the lock keeper's wall", "culture", 6000, 9),
    ("Community fridge", "health-care", 3500, 16),
]


DEMO_CODE_VOTERS = 240
OPEN_CYCLE = "old-mill-2026"


def project_costs(section: Section) -> list[tuple[str, int]]:
    return list(
        section.projects.order_by("cost_pence").values_list("code", "cost_pence")
    )


def demo_ballot(section: Section, codes: list, rng: random.Random) -> dict:
    """A plausible budget ballot: projects in a random order while they fit, stopping
    somewhere after 60% of the budget."""
    picks, total = [], 0
    for code, cost in rng.sample(codes, len(codes)):
        if total + cost <= section.budget_pence:
            picks.append(code)
            total += cost
        if total >= section.budget_pence * 0.6 and rng.random() < 0.5:
            break
    return {str(section.pk): picks}


# The demo's background voter (`demo_voting`) posts and spends codes of its own, under
# an actor of its own: never a batch an officer generated, nor in an officer's name.
DEMO_VOTER_EMAIL = "demo-voting@example.org"
DEMO_VOTER_BATCH = "Demo voting: codes the background voter spends"


def demo_voter() -> User:
    user = User.objects.filter(email=DEMO_VOTER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=DEMO_VOTER_EMAIL,
            password=None,
            display_name="Demo background voter",
            is_demo=True,
        )
    return user


def vote_with_codes(cycle: Cycle, count: int, rng: random.Random) -> int:
    """Cast `count` demo ballots with unused codes of the demo voter's own batches
    (posting another when they run out); returns how many the rules accepted."""

    section = cycle.sections.first()
    codes = project_costs(section)
    mine = VotingCode.objects.filter(
        batch__cycle=cycle,
        batch__note=DEMO_VOTER_BATCH,
        used_at__isnull=True,
        revoked_at__isnull=True,
    )
    unused = [row.plain for row in mine[:count]]
    if len(unused) < count:
        batch = voting_codes.generate(
            actor=demo_voter(),
            cycle=cycle,
            place=cycle.place,
            count=200,
            note=DEMO_VOTER_BATCH,
        )
        unused += [row.plain for row in batch.codes.all()[: count - len(unused)]]
    cast = 0
    for code in unused:
        try:
            services.ballot_cast_with_code(
                cycle=cycle, code=code, choices=demo_ballot(section, codes, rng)
            )
        except (BallotInvalid, VotingError):
            continue  # a demo ballot that breaks a rule is left out, like a spoilt one
        cast += 1
    return cast


def _residents(place: Place, count: int, prefix: str) -> list[User]:
    users = []
    for i in range(count):
        email = f"{prefix}{i:02d}@voters.example.org"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=None,
                display_name=f"Neighbour {prefix.upper()}{i:02d}",
                year_of_birth=1950 + (i * 7) % 55,
                is_demo=True,
            )
            EmailAddress.objects.create(
                user=user, email=email, verified=True, primary=True
            )
            Role.objects.create(
                user=user,
                place=place,
                kind=RoleKind.RESIDENT,
                verification_method="code",
            )
        users.append(user)
    return users


def closing_time(days: int) -> dt.datetime:
    """`days` from today at 22:00, UK time: when the demo's votes close."""
    local = timezone.localtime() + dt.timedelta(days=days)
    return local.replace(hour=22, minute=0, second=0, microsecond=0)


def _cycle(place: Place, slug: str, name: str, budget: Budget) -> Cycle:
    """A neighbourhood's cycle deciding `budget`, voting since two days ago."""
    return _scheduled_cycle(
        place,
        slug,
        name,
        [budget],
        opens_in=-2,
        description=f"Residents of {place.name} decide how {budget.name} is spent.",
    )[0]


def _advance(cycle: Cycle, officer, *phases):
    for phase in phases:
        cycle.refresh_from_db()
        if services.PHASE_ORDER.index(cycle.phase) < services.PHASE_ORDER.index(phase):
            services.cycle_set_phase(actor=officer, cycle=cycle, phase=phase)


@transaction.atomic
def seed() -> None:
    officer = User.objects.get(email="officer@example.org")
    rng = random.Random(2026)

    # Old Mill: voting open now.
    old_mill = Place.objects.get(slug="old-mill")
    budget = Budget.objects.current().filter(place=old_mill).with_totals().first()
    cycle = _cycle(
        old_mill,
        OPEN_CYCLE,
        f"Old Mill budget {budget.period_start.year}/{str(budget.period_end.year)[2:]}",
        budget,
    )
    if cycle.phase != Phase.VOTING and not cycle.ballots.exists():
        voters = _residents(old_mill, 24, "om")
        _advance(cycle, officer, Phase.SHORTLIST, Phase.VOTING)
        cycle.refresh_from_db()
        section = cycle.sections.first()
        codes = project_costs(section)

        def ballot() -> dict:
            return demo_ballot(section, codes, rng)

        for voter in voters:
            try:
                services.ballot_cast(user=voter, cycle=cycle, choices=ballot())
            except Exception:  # noqa: BLE001 — a demo ballot that breaks a rule is skipped
                continue
        # Most residents vote with the code posted to them: no account needed. A few
        # codes come back on paper ballots, keyed in by the organiser.
        organiser = User.objects.get(email="organiser@example.org")
        batch = voting_codes.generate(
            actor=officer,
            cycle=cycle,
            place=old_mill,
            count=DEMO_CODE_VOTERS + 40,
            note="Demo: posted to every household",
        )
        for i, code in enumerate(row.plain for row in batch.codes.all()):
            if i >= DEMO_CODE_VOTERS:
                break
            try:
                if i % 12 == 0:
                    services.paper_ballot_enter(
                        actor=organiser, cycle=cycle, code=code, choices=ballot()
                    )
                else:
                    services.ballot_cast_with_code(
                        cycle=cycle, code=code, choices=ballot()
                    )
            except Exception:  # noqa: BLE001 — a demo ballot that breaks a rule is skipped
                continue

    # Where Old Mill votes in person: the library and the community centre.
    _polling_points(cycle, rng)

    # Canal Side: last year's cycle, counted and published.
    canal = Place.objects.get(slug="canal-side")
    forum = Forum.objects.get(place=canal)
    past_budget = (
        Budget.objects.filter(place=canal)
        .with_totals()
        .order_by("period_start")
        .first()
    )
    past = _cycle(
        canal,
        "canal-side-2025",
        f"Canal Side budget {past_budget.period_start.year}/{str(past_budget.period_end.year)[2:]}",
        past_budget,
    )
    if past.phase == Phase.IDEAS:
        categories = {c.slug: c for c in Category.objects.all()}
        organiser = User.objects.get(email="organiser@example.org")
        for title, cat, pounds, _votes in PAST_PROPOSALS:
            proposal = Proposal.objects.create(
                forum=forum,
                author=organiser,
                title=title,
                summary=f"{title} for Canal Side.",
                description=clean_html(f"{title}: proposed by residents last year."),
                category=categories[cat],
                cost_pence=pounds * 100,
                status=ProposalStatus.SHORTLISTED,
                created_at=timezone.now() - dt.timedelta(days=400),
                **located("canal-side", rng),
            )
            ProposalTransition.objects.create(
                proposal=proposal,
                from_status=ProposalStatus.PUBLISHED,
                to_status=ProposalStatus.SHORTLISTED,
                actor=organiser,
            )
            # Last year's ballot: these proposals, not this year's shortlist.
            CycleProject.objects.create(
                section=past.sections.get(),
                proposal=proposal,
                code=str(proposal.pk),
                title=proposal.title,
                cost_pence=proposal.cost_pence,
                category_slug=proposal.category.slug,
            )
        voters = _residents(canal, 30, "cs")
        _advance(past, officer, Phase.SHORTLIST, Phase.VOTING)
        past.refresh_from_db()
        section = past.sections.first()
        codes = {p.title: p.code for p in section.projects.all()}
        for voter in voters:
            picks = [
                codes[t]
                for t, _c, _p, votes in PAST_PROPOSALS
                if rng.random() < votes / 30 and t in codes
            ][:5]
            if not picks:
                continue
            services.ballot_cast(
                user=voter, cycle=past, choices={str(section.pk): picks}
            )
        _advance(past, officer, Phase.COUNTING, Phase.RESULTS)
        # Last year's dates, as they were (the moves above were made today).
        year_ago = timezone.now() - dt.timedelta(days=365)
        Cycle.objects.filter(pk=past.pk).update(
            ideas_start=year_ago - dt.timedelta(days=60),
            review_start=year_ago - dt.timedelta(days=40),
            shortlist_start=year_ago - dt.timedelta(days=20),
            voting_start=year_ago - dt.timedelta(days=14),
            counting_start=year_ago,
            results_start=year_ago + dt.timedelta(days=2),
        )
        past.phase_changes.update(created_at=year_ago)

    _ward_and_district(officer, rng)


POLL_OFFICER = "pollofficer@example.org"
POLLING_POINTS = [
    (
        "Old Mill Library",
        "2 Mill Lane",
        "NB1 2AD",
        "Step-free entrance, hearing loop, large-print ballots",
        (dt.time(10), dt.time(18)),
    ),
    (
        "Mill Lane Community Centre",
        "48 Mill Lane",
        "NB1 3EF",
        "Step-free entrance; parking for blue badge holders",
        (dt.time(9), dt.time(13)),
    ),
]


def _polling_points(cycle: Cycle, rng: random.Random) -> None:
    """Two polling points for Old Mill's vote, open on four of its days."""
    today = timezone.localdate()
    for name, address, postcode, access, (opens, closes) in POLLING_POINTS:
        if PollingPoint.objects.filter(name=name).exists():
            continue
        lat, lon = demo_point("old-mill", rng)
        point = PollingPoint.objects.create(
            place=cycle.place,
            name=name,
            address=address,
            postcode=postcode,
            access=access,
            latitude=lat,
            longitude=lon,
        )
        point.cycles.add(cycle)
        point.save()  # a cluster keeps its many-to-many in memory until saved
        for days in (1, 3, 6, 8):
            OpeningTime.objects.create(
                point=point,
                day=today + dt.timedelta(days=days),
                opens=opens,
                closes=closes,
            )
    # The demo's poll officer, on shift at the library until the vote closes.
    library = PollingPoint.objects.get(name=POLLING_POINTS[0][0])
    clerk = User.objects.filter(email=POLL_OFFICER).first()
    if clerk is None:
        clerk = User.objects.create_user(
            email=POLL_OFFICER,
            password=DEMO_PASSWORD,
            display_name="Paula Polling",
            year_of_birth=1979,
            is_demo=True,
        )
        EmailAddress.objects.create(
            user=clerk, email=POLL_OFFICER, verified=True, primary=True
        )
    if not library.shifts.filter(user=clerk).exists():
        PollOfficerShift.objects.create(
            point=library,
            user=clerk,
            starts_at=timezone.now() - dt.timedelta(hours=1),
            ends_at=cycle.counting_start,
            granted_by=User.objects.get(email="officer@example.org"),
        )


def _current_budget(place: Place) -> Budget:
    return Budget.objects.current().filter(place=place).with_totals().first()


def _scheduled_cycle(
    place: Place, slug: str, name: str, budgets, *, opens_in: int, description=""
):
    """A cycle deciding `budgets` (with totals: one budget on the ballot each),
    voting from `opens_in` days from now (negative: it opened already) for 14 days."""
    now = timezone.now()
    closes = closing_time(opens_in + 14)
    cycle, created = Cycle.objects.get_or_create(
        slug=slug,
        defaults={
            "place": place,
            "name": name,
            "description": description
            or f"Residents decide how the budgets of {place.name} are spent.",
            "ideas_start": now - dt.timedelta(days=50),
            "review_start": now - dt.timedelta(days=30),
            "shortlist_start": now - dt.timedelta(days=10),
            "voting_start": now + dt.timedelta(days=opens_in),
            "counting_start": closes,
            "results_start": closes + dt.timedelta(days=3),
        },
    )
    if created:
        for position, budget in enumerate(budgets):
            Section.objects.create(
                cycle=cycle,
                place=budget.place,
                budget=budget,
                budget_pence=budget.total_pence,
                position=position,
            )
    return cycle, created


def _ranked(codes: list[str], rng: random.Random, n: int = 3) -> list[str]:
    return rng.sample(codes, min(n, len(codes)))


def _points(codes: list[str], rng: random.Random, total: int = 10) -> dict:
    picks = rng.sample(codes, min(3, len(codes)))
    split = (
        sorted(rng.sample(range(1, total), len(picks) - 1)) if len(picks) > 1 else []
    )
    shares = [b - a for a, b in zip([0, *split], [*split, total], strict=True)]
    return dict(zip(picks, shares, strict=True))


def _ward_and_district(officer, rng: random.Random) -> None:
    """A multi-budget ward vote (ranked: the ward-wide budget and Canal Side's), a
    district-wide vote (points), both open, and Riverside North's approval vote, set
    for next week: every ballot method and scope has a demo cycle with dates."""
    ward = Place.objects.get(slug="millbrook-ward")
    canal = Place.objects.get(slug="canal-side")
    old_mill = Place.objects.get(slug="old-mill")
    cycle, created = _scheduled_cycle(
        ward,
        "millbrook-ward-2026",
        "Millbrook Ward budgets 2026/27",
        [_current_budget(ward), _current_budget(canal)],
        opens_in=-1,
    )
    if created:
        _advance(cycle, officer, Phase.VOTING)
        cycle.refresh_from_db()
        sections = {s.place_id: s for s in cycle.sections.all()}
        codes = {
            pk: list(s.projects.values_list("code", flat=True))
            for pk, s in sections.items()
        }
        voters = _residents(canal, 30, "cs") + _residents(old_mill, 24, "om")
        for voter in voters:
            home = canal if voter.email.startswith("cs") else old_mill
            choices = {
                str(s.pk): _ranked(codes[place_pk], rng)
                for place_pk, s in sections.items()
                if home.path.startswith(s.place.path)
            }
            try:
                services.ballot_cast(user=voter, cycle=cycle, choices=choices)
            except (BallotInvalid, VotingError):
                continue

    eastbrook = Place.objects.get(slug="eastbrook")
    cycle, created = _scheduled_cycle(
        eastbrook,
        "eastbrook-2026",
        "Eastbrook District budget 2026/27",
        [_current_budget(eastbrook)],
        opens_in=-2,
    )
    if created:
        _advance(cycle, officer, Phase.VOTING)
        cycle.refresh_from_db()
        section = cycle.sections.get()
        codes = list(section.projects.values_list("code", flat=True))
        for voter in _residents(canal, 30, "cs")[:20] + _residents(old_mill, 24, "om"):
            try:
                services.ballot_cast(
                    user=voter,
                    cycle=cycle,
                    choices={str(section.pk): _points(codes, rng)},
                )
            except (BallotInvalid, VotingError):
                continue

    riverside = Place.objects.get(slug="riverside-north")
    _residents(riverside, 12, "rn")
    _scheduled_cycle(
        riverside,
        "riverside-north-2026",
        "Riverside North budget 2026/27",
        [_current_budget(riverside)],
        opens_in=5,
    )
    _advance(Cycle.objects.get(slug="riverside-north-2026"), officer, Phase.SHORTLIST)

    # Castle Green: residents are supporting proposals to build the shortlist.
    castle = Place.objects.get(slug="castle-green")
    cycle, created = _scheduled_cycle(
        castle,
        "castle-green-2026",
        "Castle Green budget 2026/27",
        [_current_budget(castle)],
        opens_in=21,
    )
    if created:
        now = timezone.now()
        Cycle.objects.filter(pk=cycle.pk).update(
            supports_start=now - dt.timedelta(days=4),
            shortlist_start=closing_time(7),
        )
        _advance(cycle, officer, Phase.SUPPORTS)
        cycle.refresh_from_db()
        published = list(
            Proposal.objects.filter(
                forum__place=castle, status=ProposalStatus.PUBLISHED, hidden=False
            )
        )
        for voter in _residents(castle, 18, "cg"):
            for proposal in rng.sample(published, min(3, len(published))):
                supports.support(user=voter, cycle=cycle, proposal=proposal)
