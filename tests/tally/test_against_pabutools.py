"""Hundreds of random small elections: the engine and pabutools select the same sets."""

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ballots.tally import Ballots, Election, Project, run

pabutools = pytest.importorskip("pabutools")
from pabutools.election import (  # noqa: E402
    Additive_Borda_Sat,
    Additive_Cardinal_Sat,
    ApprovalBallot,
    ApprovalProfile,
    Cardinality_Sat,
    Cost_Sat,
    CumulativeBallot,
    CumulativeProfile,
    Instance,
    OrdinalBallot,
    OrdinalProfile,
)
from pabutools.election import Project as PProject  # noqa: E402
from pabutools.rules import (  # noqa: E402
    completion_by_rule_combination,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)

SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def instances(draw, kind):
    n_projects = draw(st.integers(1, 7))
    ids = [str(i) for i in range(1, n_projects + 1)]  # "1".."7": string order matters
    costs = {pid: draw(st.integers(1, 30)) for pid in ids}
    budget = draw(st.integers(1, 80))
    n_voters = draw(st.integers(1, 12))
    ballots = []
    for _ in range(n_voters):
        chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=n_projects))
        if kind == "points":
            ballots.append({p: draw(st.integers(1, 5)) for p in chosen})
        else:
            ballots.append(chosen)
    return ids, costs, budget, ballots


def ours(kind, ids, costs, budget, ballots):
    maker = {
        "approval": Ballots.approval,
        "points": Ballots.points,
        "ranked": Ballots.ranked,
    }[kind]
    return Election.build([Project(p, costs[p]) for p in ids], budget, maker(ballots))


def theirs(kind, ids, costs, budget, ballots):
    projects = {p: PProject(p, costs[p]) for p in ids}
    instance = Instance(projects.values(), budget_limit=Fraction(budget))
    if kind == "approval":
        profile = ApprovalProfile(
            [ApprovalBallot(projects[p] for p in b) for b in ballots]
        )
    elif kind == "points":
        profile = CumulativeProfile(
            [CumulativeBallot({projects[p]: v for p, v in b.items()}) for b in ballots]
        )
    else:
        profile = OrdinalProfile(
            [OrdinalBallot([projects[p] for p in b]) for b in ballots]
        )
    return instance, profile


def names(allocation):
    return sorted(p.name for p in allocation)


def compare(kind, sat, utility, data):
    ids, costs, budget, ballots = data
    e = ours(kind, ids, costs, budget, ballots)
    inst, prof = theirs(kind, ids, costs, budget, ballots)
    extra = {"is_sat_additive": True} if kind == "ranked" else {}
    assert sorted(run(e, "greedy", utility).selected) == names(
        greedy_utilitarian_welfare(inst, prof, sat_class=sat, **extra)
    )
    assert sorted(run(e, "mes", utility).selected) == names(
        method_of_equal_shares(inst, prof, sat_class=sat)
    )
    assert sorted(run(e, "mes+greedy", utility).selected) == names(
        completion_by_rule_combination(
            inst,
            prof,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": sat}, {"sat_class": sat, **extra}],
        )
    )
    assert sorted(run(e, "mes-add1", utility).selected) == names(
        method_of_equal_shares(inst, prof, sat_class=sat, voter_budget_increment=1)
    )
    assert sorted(run(e, "mes-completion", utility).selected) == names(
        completion_by_rule_combination(
            inst,
            prof,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [
                {"sat_class": sat, "voter_budget_increment": 1},
                {"sat_class": sat, **extra},
            ],
        )
    )


@SETTINGS
@given(instances("approval"))
def test_approval_cost_utility(data):
    compare("approval", Cost_Sat, "cost", data)


@SETTINGS
@given(instances("approval"))
def test_approval_cardinality_utility(data):
    compare("approval", Cardinality_Sat, "cardinality", data)


@SETTINGS
@given(instances("points"))
def test_points_as_utilities(data):
    compare("points", Additive_Cardinal_Sat, "points", data)


@SETTINGS
@given(instances("ranked"))
def test_ranked_with_borda(data):
    compare("ranked", Additive_Borda_Sat, "borda", data)
