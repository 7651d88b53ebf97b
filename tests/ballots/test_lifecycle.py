"""The cycle's life (ballots/lifecycle.py): the allowed edges, counting never skipped,
the repair that re-opens a vote closed by mistake, the scheduler walking each phase,
the pre-flight checks before voting opens, and a Hypothesis state machine that drives
random sequences of officer moves, scheduler ticks, online and code votes and checks
the invariants after every step."""

import datetime as dt
import os

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from ballots import lifecycle, tasks, voting_codes
from ballots.models import (
    Ballot,
    FenceWaiver,
    Phase,
    PhaseChange,
    SealedBallot,
    Tally,
    VoterRecord,
)
from ballots.services import (
    ballot_cast,
    ballot_cast_with_code,
    cycle_count,
    cycle_refresh_phase,
    cycle_reopen_voting,
    cycle_set_phase,
    fence_waiver_record,
)
from ballots.validation import BallotInvalid, VotingError
from civic.audit import verify_chain
from civic.models import FrameworkRules, PlaceKind, RoleKind
from forums.models import ProposalStatus
from tests.ballots.test_counting import vote_all
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


def test_counting_is_never_skipped(vote_world):
    w = vote_world
    w["open"]()
    vote_all(w, [[0], [1]])
    for target in (Phase.RESULTS, Phase.DELIVERY):
        with pytest.raises(VotingError, match="Voting must close first"):
            cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=target)
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    # Closing counted every budget, as a draft nobody else sees yet.
    assert list(Tally.objects.values_list("published", "ballots_counted")) == [
        (False, 2)
    ]
    with pytest.raises(VotingError, match="once the result is published"):
        cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.DELIVERY)
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.RESULTS)
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.DELIVERY)
    assert list(w["cycle"].phase_changes.values_list("from_phase", "to_phase")) == [
        ("shortlist", "voting"),
        ("voting", "counting"),
        ("counting", "results"),
        ("results", "delivery"),
    ]


def test_results_need_a_complete_count(vote_world):
    w = vote_world
    w["open"]()
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    Tally.objects.all().delete()  # e.g. a count lost
    w["cycle"].refresh_from_db()
    with pytest.raises(VotingError, match="complete count of every budget"):
        cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.RESULTS)
    cycle_count(actor=w["officer"], cycle=w["cycle"])
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.RESULTS)
    assert Tally.objects.get().published is True


def test_the_phase_menu_offers_only_allowed_moves(vote_world, client):
    w = vote_world
    w["open"]()
    client.force_login(w["officer"])
    page = client.get(reverse("ballots:cycle", args=[w["cycle"].slug])).content
    menu = page.decode().split('name="phase"')[1].split("</select>")[0]
    assert 'value="counting"' in menu
    assert 'value="delivery"' not in menu and 'value="results"' not in menu


def test_a_forged_skip_is_refused_on_the_site_and_nothing_moves(vote_world, client):
    w = vote_world
    w["open"]()
    client.force_login(w["officer"])
    url = reverse("ballots:phase", args=[w["cycle"].slug])
    client.post(url, {"phase": "delivery", "confirm": "on"})
    w["cycle"].refresh_from_db()
    assert w["cycle"].phase == Phase.VOTING


def test_the_admin_edit_form_cannot_set_the_phase(vote_world, client):
    w = vote_world
    w["open"]()
    client.force_login(w["officer"])
    url = reverse("wagtailsnippets_ballots_cycle:edit", args=[w["cycle"].pk])
    form = client.get(url).content.decode()
    assert 'name="phase"' not in form


def test_closing_asks_first_and_says_what_will_happen(vote_world, client):
    w = vote_world
    w["open"]()
    vote_all(w, [[0], [1], [2]])
    client.force_login(w["officer"])
    url = reverse("ballots:phase", args=[w["cycle"].slug])
    asked = client.post(url, {"phase": "counting"})
    page = asked.content.decode()
    assert asked.status_code == 200
    assert "Close voting now?" in page
    assert (
        "Voting closes now: 3 ballots will be mixed and counted; no one can vote "
        "after this." in page
    )
    w["cycle"].refresh_from_db()
    assert w["cycle"].phase == Phase.VOTING
    client.post(url, {"phase": "counting", "confirm": "on"})
    w["cycle"].refresh_from_db()
    assert w["cycle"].phase == Phase.COUNTING


def test_a_vote_closed_by_mistake_is_reopened_with_a_public_reason(vote_world, client):
    w = vote_world
    w["open"]()
    vote_all(w, [[0], [1]])
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    client.force_login(w["officer"])
    closes = timezone.localtime() + dt.timedelta(days=3)
    client.post(
        reverse("ballots:reopen", args=[w["cycle"].slug]),
        {
            "reason": "Closed a week early by mistake.",
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    cycle = w["cycle"]
    cycle.refresh_from_db()
    assert cycle.phase == Phase.VOTING
    assert cycle.counting_start.strftime("%Y-%m-%d %H:%M") == closes.strftime(
        "%Y-%m-%d %H:%M"
    )
    assert not Tally.objects.exists()  # the draft count went
    assert Ballot.objects.filter(cycle=cycle).count() == 2  # the ballots stay
    change = PhaseChange.objects.filter(cycle=cycle).last()
    assert (change.from_phase, change.to_phase, change.reason) == (
        "counting",
        "voting",
        "Closed a week early by mistake.",
    )
    client.logout()
    public = client.get(reverse("ballots:cycle", args=[cycle.slug])).content.decode()
    assert "Reason: Closed a week early by mistake." in public
    # Voting goes on: a third resident votes, and the next close counts all three.
    ballot_cast(
        user=w["voters"][2],
        cycle=cycle,
        choices={str(w["section"].pk): [w["codes"][2]]},
    )
    cycle_set_phase(actor=w["officer"], cycle=cycle, phase=Phase.COUNTING)
    assert Tally.objects.get().ballots_counted == 3


def test_reopening_is_refused_without_reason_or_once_published(vote_world):
    w = vote_world
    w["open"]()
    cycle = w["cycle"]
    later = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(VotingError, match="being counted"):
        cycle_reopen_voting(
            actor=w["officer"], cycle=cycle, reason="x", closes_at=later
        )
    cycle_set_phase(actor=w["officer"], cycle=cycle, phase=Phase.COUNTING)
    with pytest.raises(VotingError, match="Give the reason"):
        cycle_reopen_voting(
            actor=w["officer"], cycle=cycle, reason=" ", closes_at=later
        )
    with pytest.raises(VotingError, match="in the future"):
        cycle_reopen_voting(
            actor=w["officer"],
            cycle=cycle,
            reason="x",
            closes_at=timezone.now() - dt.timedelta(minutes=1),
        )
    cycle_set_phase(actor=w["officer"], cycle=cycle, phase=Phase.RESULTS)
    with pytest.raises(VotingError, match="being counted"):
        cycle_reopen_voting(
            actor=w["officer"], cycle=cycle, reason="x", closes_at=later
        )


def test_the_scheduler_walks_every_phase_whose_date_passed(vote_world):
    w = vote_world
    cycle = w["cycle"]
    now = timezone.now()
    cycle.voting_start = now + dt.timedelta(hours=1)
    cycle.counting_start = now + dt.timedelta(hours=2)
    cycle.results_start = now + dt.timedelta(hours=3)
    cycle.save()
    # The scheduler was down: voting's opening, closing and the results' dates all
    # passed. Opening is checked against the real clock, so it opens; then it closes
    # and counts, then publishes: each phase's work, in order.
    cycle = cycle_refresh_phase(cycle, now=now + dt.timedelta(hours=4))
    assert cycle.phase == Phase.RESULTS
    assert list(cycle.phase_changes.values_list("to_phase", flat=True)) == [
        "voting",
        "counting",
        "results",
    ]
    assert Tally.objects.get().published is True


def test_preflight_lists_every_problem_then_passes(vote_world):
    w = vote_world
    cycle = w["cycle"]
    cycle.voting_start = cycle.counting_start = None
    cycle.save()
    FrameworkRules.objects.filter(place=w["county"]).update(
        ring_fences={"youth": 50000_00}
    )
    empty = make_place("Nowhere", PlaceKind.NEIGHBOURHOOD, w["county"])
    empty_section = SectionFactory(cycle=cycle, place=empty, budget_pence=100_00)
    for voter in w["voters"]:
        voter.roles.all().delete()
    with pytest.raises(VotingError) as refused:
        cycle_set_phase(actor=w["officer"], cycle=cycle, phase=Phase.VOTING)
    assert refused.value.errors == [
        "Set the date voting opens.",
        "Set the date voting closes (when counting starts).",
        "The budget for Nowhere has no shortlisted project: shortlist at least one, "
        "or remove the budget from the ballot.",
        "Lane End ring-fences £50,000 for Youth, but its shortlisted projects in that "
        "category cost £40,000 in all: shortlist more, or accept that the fence cannot "
        "be met (the reason is shown on the results).",
        "Nowhere ring-fences £50,000 for Youth, but its shortlisted projects in that "
        "category cost £0 in all: shortlist more, or accept that the fence cannot be "
        "met (the reason is shown on the results).",
        "No one can vote: no resident of Lane End is verified and no voting codes "
        "have been posted.",
    ]
    cycle.refresh_from_db()
    assert cycle.phase == Phase.SHORTLIST and cycle.frozen_rules is None

    # Fix each: dates, drop the empty budget, accept the fence, verify a resident.
    cycle.voting_start = timezone.now()
    cycle.counting_start = timezone.now() + dt.timedelta(days=7)
    cycle.save()
    empty_section.delete()
    shortfall = lifecycle.shortfalls(cycle)
    assert [(s.place.name, slug, m, a) for s, slug, m, a in shortfall] == [
        ("Lane End", "youth", 50000_00, 40000_00)
    ]
    fence_waiver_record(
        actor=w["officer"],
        cycle=cycle,
        key=f"{shortfall[0][0].pk}:youth",
        reason="Only two youth projects came forward this year.",
    )
    grant(w["voters"][0], w["hood"], RoleKind.RESIDENT)
    assert lifecycle.preflight_problems(cycle) == []
    cycle_set_phase(actor=w["officer"], cycle=cycle, phase=Phase.VOTING)
    assert FenceWaiver.objects.get().available_pence == 40000_00


def test_a_proposal_is_never_on_two_open_ballots(vote_world):
    w = vote_world
    w["open"]()
    second = CycleFactory(place=w["hood"], slug="lane-end-again", name="Again")
    SectionFactory(cycle=second)
    problems = lifecycle.preflight_problems(second)
    assert (
        "Lane End is also on Lane End 2026, which is open or opens at the same time: "
        "its shortlisted proposals would be on two ballots at once." in problems
    )
    # And the proposals already on the open ballot are not drawn again.
    assert list(lifecycle.shortlisted(second, second.sections.get())) == []


def test_the_checklist_shows_on_the_cycle_page_for_officers_only(vote_world, client):
    w = vote_world
    cycle = w["cycle"]
    cycle.voting_start = None
    cycle.save()
    url = reverse("ballots:cycle", args=[cycle.slug])
    assert "Before voting opens" not in client.get(url).content.decode()
    client.force_login(w["officer"])
    page = client.get(url).content.decode()
    assert "Before voting opens" in page
    assert "Set the date voting opens." in page


def test_dates_residents_can_see(vote_world, client):
    w = vote_world
    cycle = w["cycle"]
    closes = timezone.make_aware(dt.datetime(timezone.now().year + 1, 3, 15, 22, 0))
    cycle.counting_start = closes
    cycle.save()
    w["open"]()
    expected = "Voting closes " + lifecycle.when(closes) + "."
    assert lifecycle.when(closes).endswith(" at 22:00")
    for url in (
        reverse("ballots:cycle", args=[cycle.slug]),
        reverse("ballots:vote", args=[cycle.slug]),
        w["hood"].get_absolute_url(),
    ):
        client.force_login(w["voters"][0])
        assert expected in client.get(url, follow=True).content.decode(), url


# The state machine ----------------------------------------------------------------


def small_world(n: int):
    """A neighbourhood with three shortlisted proposals, three verified residents
    and two posted voting codes, and a cycle whose dates are a day apart."""
    county = make_place(f"County {n}", PlaceKind.COUNTY)
    hood = make_place(f"Hood {n}", PlaceKind.NEIGHBOURHOOD, county)
    county.refresh_from_db()
    hood.refresh_from_db()
    budget = BudgetFactory(place=hood)
    ContributionFactory(budget=budget, amount_pence=30000_00)
    forum = ForumFactory(place=hood)
    category = CategoryFactory(name=f"Cat {n}", slug=f"cat-{n}")
    for i in (1, 2, 3):
        ProposalFactory(
            forum=forum,
            title=f"H{n}P{i}",
            category=category,
            cost_pence=i * 10000_00,
            status=ProposalStatus.SHORTLISTED,
        )
    officer = UserFactory(is_demo=True)
    grant(officer, county, RoleKind.OFFICER)
    voters = [UserFactory(is_demo=True) for _ in range(3)]
    for voter in voters:
        grant(voter, hood, RoleKind.RESIDENT)
    FrameworkRules.objects.create(
        place=county, ballot_method="approval", tally_rule="greedy", max_choices=3
    )
    base = timezone.now()
    cycle = CycleFactory(
        place=hood,
        slug=f"hood-{n}",
        voting_start=base + dt.timedelta(days=1),
        counting_start=base + dt.timedelta(days=3),
        results_start=base + dt.timedelta(days=5),
        delivery_start=base + dt.timedelta(days=7),
    )
    section = SectionFactory(cycle=cycle, budget=budget, budget_pence=30000_00)
    batch = voting_codes.generate(actor=officer, cycle=cycle, place=hood, count=2)
    codes = [c.plain for c in batch.codes.all()]
    return cycle, section, officer, voters, codes, base


class CycleLife(RuleBasedStateMachine):
    worlds = 0

    def __init__(self):
        super().__init__()
        CycleLife.worlds += 1
        (
            self.cycle,
            self.section,
            self.officer,
            self.voters,
            self.codes,
            self.base,
        ) = small_world(CycleLife.worlds)
        self.voted: set = set()
        self.codes_used: set = set()
        self.reopened = False

    def _phase(self):
        self.cycle.refresh_from_db()
        return self.cycle.phase

    def _choices(self, i: int) -> dict:
        codes = sorted(self.section.projects.values_list("code", flat=True)) or ["1"]
        return {str(self.section.pk): [codes[i % len(codes)]]}

    @rule(to=st.sampled_from(Phase.values))
    def officer_moves(self, to):
        target = to
        before = self._phase()
        allowed = target in lifecycle.TRANSITIONS[before] and (
            target != Phase.RESULTS or bool(lifecycle.complete_count(self.cycle))
        )
        try:
            tasks.set_phase_by_hand(actor=self.officer, cycle=self.cycle, phase=target)
        except VotingError:
            assert not allowed, (before, target)
            assert self._phase() == before
        else:
            assert allowed, (before, target)
            assert self._phase() == target

    @rule(days=st.integers(min_value=0, max_value=8))
    def scheduler_ticks(self, days):
        before = self._phase()
        cycle_refresh_phase(self.cycle, now=self.base + dt.timedelta(days=days))
        after = self._phase()
        assert Phase.values.index(after) >= Phase.values.index(before)

    @rule(i=st.integers(min_value=0, max_value=2))
    def resident_votes(self, i):
        phase = self._phase()
        try:
            ballot_cast(user=self.voters[i], cycle=self.cycle, choices=self._choices(i))
        except (BallotInvalid, VotingError):
            assert phase != Phase.VOTING or i in self.voted
        else:
            assert phase == Phase.VOTING
            self.voted.add(i)

    @rule(i=st.integers(min_value=0, max_value=1))
    def code_votes(self, i):
        phase = self._phase()
        try:
            ballot_cast_with_code(
                cycle=self.cycle, code=self.codes[i], choices=self._choices(i)
            )
        except (BallotInvalid, VotingError):
            assert phase != Phase.VOTING or i in self.codes_used
        else:
            assert phase == Phase.VOTING and i not in self.codes_used
            self.codes_used.add(i)

    @precondition(lambda self: not self.reopened)
    @rule()
    def officer_reopens(self):
        phase = self._phase()
        published = Tally.objects.filter(
            section__cycle=self.cycle, published=True
        ).exists()
        try:
            cycle_reopen_voting(
                actor=self.officer,
                cycle=self.cycle,
                reason="Closed by mistake",
                closes_at=timezone.now() + dt.timedelta(days=2),
            )
        except VotingError:
            assert phase != Phase.COUNTING or published
        else:
            assert phase == Phase.COUNTING and not published
            self.reopened = True
            # The new closing date is the real one now.
            self.cycle.refresh_from_db()

    @invariant()
    def no_ballot_lost_or_counted_twice(self):
        cast = len(self.voted) + len(self.codes_used)
        assert VoterRecord.objects.filter(cycle=self.cycle).count() == cast
        in_box = (
            Ballot.objects.filter(cycle=self.cycle).count()
            + SealedBallot.objects.filter(cycle=self.cycle).count()
        )
        assert in_box == cast
        if self.cycle.phase in (Phase.COUNTING, Phase.RESULTS, Phase.DELIVERY):
            assert SealedBallot.objects.filter(cycle=self.cycle).count() == 0

    @invariant()
    def no_result_without_a_complete_count(self):
        published = list(
            Tally.objects.filter(section__cycle=self.cycle, published=True)
        )
        if self.cycle.phase in (Phase.RESULTS, Phase.DELIVERY):
            assert len(published) == 1
            cast = len(self.voted) + len(self.codes_used)
            assert published[0].ballots_counted == cast
        else:
            assert published == []

    @invariant()
    def phases_moved_only_along_allowed_edges(self):
        for change in PhaseChange.objects.filter(cycle=self.cycle):
            edges = lifecycle.TRANSITIONS[change.from_phase] | lifecycle.REPAIRS.get(
                change.from_phase, set()
            )
            assert change.to_phase in edges

    @invariant()
    def the_audit_chain_verifies(self):
        assert verify_chain().ok


@pytest.mark.django_db
def test_the_cycle_life_state_machine():
    run_state_machine_as_test(
        CycleLife,
        settings=settings(
            max_examples=int(os.environ.get("NB_LIFECYCLE_EXAMPLES", 25)),
            stateful_step_count=14,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )


def test_a_vote_the_checks_keep_shut_is_on_the_officers_dashboard(vote_world, client):
    w = vote_world
    cycle = w["cycle"]
    cycle.voting_start = timezone.now() - dt.timedelta(hours=1)
    cycle.save()
    for voter in w["voters"]:
        voter.roles.all().delete()
    # The scheduler tries, and the checks refuse: the cycle stays shut...
    assert cycle_refresh_phase(cycle).phase == Phase.SHORTLIST
    # ...and the officer is told why, where their work is.
    client.force_login(w["officer"])
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert (
        "Lane End 2026 should have opened but cannot: No one can vote: no resident of "
        "Lane End is verified and no voting codes have been posted." in body
    )


def test_the_voting_email_says_when_voting_closes(
    vote_world, django_capture_on_commit_callbacks
):
    from django.core import mail

    from forums.models import Follow

    w = vote_world
    follower = w["voters"][1]
    Follow.objects.create(forum=w["forum"], user=follower)
    with django_capture_on_commit_callbacks(execute=True):
        w["open"]()
    cycle = w["cycle"]
    (message,) = [m for m in mail.outbox if m.to == [follower.email]]
    closes = f"Voting closes {lifecycle.when(cycle.counting_start)}."
    assert closes in message.body
    assert closes in message.alternatives[0][0]
