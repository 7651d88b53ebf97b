import datetime as dt

import pytest
from django.utils import timezone

from ballots.models import Phase, PollingPoint, PollOfficerShift
from ballots.services import casting, cycle_set_phase
from civic.models import FrameworkRules, PlaceKind, RoleKind
from forums.models import ProposalStatus
from tests.factories import (
    BudgetFactory,
    CategoryFactory,
    ContributionFactory,
    CycleFactory,
    ForumFactory,
    ProposalFactory,
    SectionFactory,
    UserFactory,
    grant,
    make_place,
)


@pytest.fixture(autouse=True)
def _no_frozen_cache():
    casting.frozen_ballot.cache_clear()


@pytest.fixture
def vote_world(db, settings):
    """A neighbourhood with 4 shortlisted proposals (£10k, £20k, £30k, £40k) and £60k."""
    settings.NB_DEMO_MFA_EXEMPT = True
    county = make_place("Shire", PlaceKind.COUNTY)
    hood = make_place("Lane End", PlaceKind.NEIGHBOURHOOD, county)
    other = make_place("Zed Town", PlaceKind.NEIGHBOURHOOD, county)
    for p in (county, hood, other):
        p.refresh_from_db()
    budget = BudgetFactory(place=hood)
    ContributionFactory(budget=budget, amount_pence=60000_00)
    forum = ForumFactory(place=hood)
    youth = CategoryFactory(name="Youth", slug="youth")
    green = CategoryFactory(name="Green", slug="green")
    proposals = [
        ProposalFactory(
            forum=forum,
            title=f"P{i}",
            category=youth if i % 2 else green,
            cost_pence=i * 10000_00,
            status=ProposalStatus.SHORTLISTED,
        )
        for i in (1, 2, 3, 4)
    ]
    officer, organiser = UserFactory(is_demo=True), UserFactory(is_demo=True)
    grant(officer, county, RoleKind.OFFICER)
    grant(organiser, hood, RoleKind.ORGANISER)
    voters = [UserFactory(is_demo=True) for _ in range(5)]
    for v in voters:
        grant(v, hood, RoleKind.RESIDENT)
    outsider = UserFactory(is_demo=True)
    grant(outsider, other, RoleKind.RESIDENT)
    FrameworkRules.objects.create(
        place=county,
        ballot_method="approval",
        tally_rule="greedy",
        min_choices=1,
        max_choices=3,
        min_age=16,
    )
    cycle = CycleFactory(place=hood)
    section = SectionFactory(cycle=cycle, budget=budget)

    def open_voting(**rules):
        if rules:
            FrameworkRules.objects.filter(place=county).update(**rules)
        cycle_set_phase(actor=officer, cycle=cycle, phase=Phase.VOTING)
        cycle.refresh_from_db()
        return cycle

    return {
        "county": county,
        "hood": hood,
        "other": other,
        "forum": forum,
        "proposals": proposals,
        "officer": officer,
        "organiser": organiser,
        "voters": voters,
        "outsider": outsider,
        "cycle": cycle,
        "section": section,
        "open": open_voting,
        "codes": [str(p.pk) for p in proposals],
    }


@pytest.fixture
def district(vote_world):
    """A cycle for the county holding two neighbourhood budgets."""
    w = vote_world
    other = w["other"]
    ProposalFactory(
        forum=ForumFactory(place=other),
        title="Z1",
        category=w["proposals"][0].category,
        cost_pence=5000_00,
        status=ProposalStatus.SHORTLISTED,
    )
    # The neighbourhood's own cycle is not scheduled: its proposals go on this one.
    type(w["cycle"]).objects.filter(pk=w["cycle"].pk).update(
        voting_start=None, counting_start=None
    )
    cycle = CycleFactory(place=w["county"])
    own = SectionFactory(cycle=cycle, place=w["hood"], position=0)
    far = SectionFactory(cycle=cycle, place=other, budget_pence=20000_00, position=1)
    return w, cycle, own, far


@pytest.fixture
def supports_world(vote_world):
    """vote_world's four proposals published (not yet shortlisted), its cycle in
    review, and rules that use supports: 2 per resident, the top 2 go through."""
    w = vote_world
    for p in w["proposals"]:
        type(p).objects.filter(pk=p.pk).update(status=ProposalStatus.PUBLISHED)
        p.refresh_from_db()
    type(w["cycle"]).objects.filter(pk=w["cycle"].pk).update(phase=Phase.REVIEW)
    w["cycle"].refresh_from_db()
    FrameworkRules.objects.filter(place=w["county"]).update(
        supports_phase=True,
        supports_per_resident=2,
        shortlist_method="top",
        shortlist_size=2,
    )

    def open_supports():
        cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.SUPPORTS)
        w["cycle"].refresh_from_db()
        return w["cycle"]

    w["open_supports"] = open_supports
    return w


@pytest.fixture
def point_world(vote_world):
    """vote_world with voting open, a polling point serving it (Lane End Library) and
    a poll officer (Pat Clerk) on shift there from an hour ago for five hours."""
    w = vote_world
    cycle = w["open"]()
    point = PollingPoint.objects.create(
        place=w["hood"], name="Lane End Library", address="1 High Street"
    )
    point.cycles.add(cycle)
    point.save()  # a cluster keeps its many-to-many in memory until saved
    clerk = UserFactory(is_demo=True, display_name="Pat Clerk")
    now = timezone.now()
    PollOfficerShift.objects.create(
        point=point,
        user=clerk,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=4),
        granted_by=w["officer"],
    )
    w.update(point=point, clerk=clerk, cycle=cycle)
    return w
