"""MES completions: the skipping completion gives exactly what trying every increment
gives, and the named completions match pabutools where pabutools has them.

`every_increment` below is the definition of each completion, written the slow way:
one exact MES run (itself checked against pabutools elsewhere) per increment of the
per-voter budget. The engine runs each increment in compiled floats instead, falling
back to exact arithmetic when a decision is too close to call, or (without numba)
proves how far it may skip; both are checked. These elections are drawn so that there
are hundreds of increments and many ties, where a wrong skip or a wrong float decision
would show.
"""

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ballots.tally import Ballots, Election, Project, fast, run
from ballots.tally.completion import equal_shares_add1
from ballots.tally.mes import equal_shares
from ballots.tally.profile import build_profile

SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def wide(draw, kind):
    """Budgets of hundreds per voter, costs on a coarse grid (ties), few voters."""
    n_projects = draw(st.integers(2, 9))
    ids = [str(i) for i in range(1, n_projects + 1)]
    costs = {p: 50 * draw(st.integers(1, 40)) for p in ids}
    budget = 100 * draw(st.integers(5, 30))
    n_voters = draw(st.integers(2, 9))
    ballots = []
    for _ in range(n_voters):
        chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=n_projects))
        if kind == "points":
            ballots.append({p: draw(st.integers(1, 3)) for p in chosen})
        else:
            ballots.append(chosen)
    maker = {"approval": Ballots.approval, "points": Ballots.points}
    maker["ranked"] = Ballots.ranked
    election = Election.build(
        [Project(p, costs[p]) for p in ids], budget, maker[kind](ballots)
    )
    increment = draw(st.sampled_from([1, 1, 1, Fraction(1, 3), 7]))
    return election, increment


def every_increment(election, utility, stop, increment):
    """The completion by its definition: an exact MES run at every increment."""
    profile = build_profile(election, utility)
    projects, budget, n = election.projects, election.budget, profile.voters
    supported = {p for _w, u in profile.groups for p in u if projects[p].cost > 0} | {
        p for _w, u in profile.groups for p in u if projects[p].cost == 0
    }
    totals = profile.total_utility()
    per_voter = Fraction(budget) / n
    kept, kept_welfare = None, None
    step = 0
    while True:
        outcome = equal_shares(projects, (per_voter + step * increment) * n, profile)
        spent = sum(projects[p].cost for p in outcome)
        if spent > budget:
            break
        welfare = sum(totals.get(p, 0) for p in outcome)
        if stop != "utilitarian" or kept_welfare is None or welfare > kept_welfare:
            kept, kept_welfare = outcome, welfare
        left = budget - spent
        if stop == "exhaustive" and not any(
            p not in outcome and projects[p].cost <= left
            for p in supported
            if projects[p].cost > 0
        ):
            break
        if set(outcome) == supported:
            break
        step += 1
    return sorted(kept)


def skipping(election, utility, stop, increment):
    profile = build_profile(election, utility)
    funded, _ = equal_shares_add1(
        election.projects, election.budget, profile, increment=increment, stop=stop
    )
    return sorted(funded)


@pytest.fixture(params=["floats", "exact"])
def engine(request, monkeypatch):
    """The completion with its compiled float runs (fast.py), and without them (each
    exact run proves how far it may skip)."""
    if request.param == "exact":
        monkeypatch.setattr(fast, "available", lambda: False)
    elif not fast.available():
        pytest.skip("numba is not installed")
    return request.param


CASES = [
    ("approval", "cost"),
    ("approval", "cardinality"),
    ("points", "points"),
    ("ranked", "borda"),
]


@pytest.mark.parametrize("kind,utility", CASES)
@pytest.mark.parametrize("stop", ["exhaustive", "overspend", "utilitarian"])
def test_skipping_matches_every_increment(kind, utility, stop, engine):
    @SETTINGS
    @given(wide(kind))
    def check(data):
        election, increment = data
        assert skipping(election, utility, stop, increment) == every_increment(
            election, utility, stop, increment
        )

    check()


def test_a_long_completion_on_a_real_file_matches_every_increment(engine):
    """Assen 2024 (copied into tests/): 60 increments, every one run, the same."""
    from ballots.tally import pabulib

    from .conftest import HERE

    election = pabulib.read(HERE / "data" / "Netherlands_Assen_2024.pb").election()
    for stop in ("exhaustive", "overspend", "utilitarian"):
        assert skipping(election, "cost", stop, 1) == every_increment(
            election, "cost", stop, 1
        )


def test_the_three_completions_on_a_hand_worked_election():
    """Budget 80; A costs 45, B 20, C 35; voters {A, B, C}, {A, B}, {C}; cost
    utilities, so a project's price is 1 / its supporters while nobody is capped.

    At 26⅔ each (80 / 3) all three prices are ½: A wins the tie by id, its two
    supporters pay 22½ each, and then neither B (2 × 4⅙) nor C (4⅙ + 26⅔) is
    affordable: {A}. At 29⅔ each, C is (7⅙ + 29⅔ ≥ 35): {A, C}, all 80 spent, so
    exhaustive: add1 stops there. Raised further, at 32⅔ each B is affordable after
    A and cheaper than C (½ against 24⅚ / 35): {A, B}, and C is then out of reach
    until 34⅔ each, where {A, B, C} overspends. So without the exhaustive stop the
    last feasible outcome is {A, B} (utility 2 × 45 + 2 × 20 = 130), while the
    utilitarian completion keeps {A, C} (2 × 45 + 2 × 35 = 160).
    """
    election = Election.build(
        [Project("A", 45), Project("B", 20), Project("C", 35)],
        80,
        Ballots.approval([["C", "A", "B"], ["B", "A"], ["C"]]),
    )
    assert run(election, "mes").selected == ["A"]
    assert run(election, "mes-add1").selected == ["A", "C"]
    assert run(election, "mes-add1-overspend").selected == ["A", "B"]
    assert run(election, "mes-add1-utilitarian").selected == ["A", "C"]
    # Greedy fill after the overspend completion: C (35) does not fit in 15.
    assert run(election, "mes-add1-overspend+greedy").selected == ["A", "B"]


pabutools = pytest.importorskip("pabutools")


@pytest.mark.parametrize("kind,utility", CASES)
def test_overspend_completion_is_pabutools_without_the_exhaustive_stop(kind, utility):
    from pabutools.election import (
        Additive_Borda_Sat,
        Additive_Cardinal_Sat,
        Cardinality_Sat,
        Cost_Sat,
    )
    from pabutools.rules import exhaustion_by_budget_increase, method_of_equal_shares

    from .test_against_pabutools import instances, theirs

    sat = {
        "cost": Cost_Sat,
        "cardinality": Cardinality_Sat,
        "points": Additive_Cardinal_Sat,
        "borda": Additive_Borda_Sat,
    }[utility]

    @settings(max_examples=60, deadline=None)
    @given(instances(kind))
    def check(data):
        ids, costs, budget, ballots = data
        maker = {"approval": Ballots.approval, "points": Ballots.points}
        maker["ranked"] = Ballots.ranked
        election = Election.build(
            [Project(p, costs[p]) for p in ids], budget, maker[kind](ballots)
        )
        instance, profile = theirs(kind, ids, costs, budget, ballots)
        expected = exhaustion_by_budget_increase(
            instance,
            profile,
            method_of_equal_shares,
            {"sat_class": sat},
            budget_step=profile.num_ballots(),
            exhaustive_stop=False,
        )
        assert sorted(run(election, "mes-add1-overspend", utility).selected) == sorted(
            p.name for p in expected
        )

    check()
