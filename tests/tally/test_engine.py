"""Behaviour of the engine on hand-made elections: rules, ties, ring-fences, explanations."""

from fractions import Fraction

import pytest

from ballots.tally import Ballots, Election, Project, run
from ballots.tally.model import TallyError


def election(
    costs, budget, ballots, kind="approval", categories=None, ring_fences=None
):
    categories = categories or {}
    projects = [Project(pid, cost, categories.get(pid)) for pid, cost in costs.items()]
    maker = {
        "approval": Ballots.approval,
        "points": Ballots.points,
        "ranked": Ballots.ranked,
    }[kind]
    return Election.build(
        projects, budget, maker(ballots), ring_fences=ring_fences or {}
    )


def test_greedy_funds_most_voted_first_and_skips_what_no_longer_fits():
    e = election(
        {"a": 60, "b": 50, "c": 40},
        100,
        [["a"], ["a"], ["a", "b"], ["b", "c"], ["c"], ["b"]],
    )
    out = run(e, "greedy")
    # a: 3 votes, b: 3 votes (tie → "a" first), c: 2 votes.
    assert out.selected == ["a", "c"]
    assert out.explanations["b"]["reason"] == "not_affordable"
    assert out.explanations["b"]["after"] == ["a"]
    assert out.explanations["b"]["remaining_budget"] == "40"
    assert out.spent == 100


def test_greedy_ties_are_broken_by_id_as_a_string():
    e = election({"9": 10, "10": 10}, 10, [["9"], ["10"]])
    assert run(e, "greedy").selected == ["10"]  # "10" < "9" as strings


def test_cardinality_greedy_ranks_by_votes_per_cost():
    e = election({"big": 100, "small": 10}, 100, [["big"]] * 3 + [["small"]] * 2)
    assert run(e, "greedy", "cost").selected == ["big"]
    assert run(e, "greedy", "cardinality").selected == ["small"]


def test_equal_shares_gives_a_minority_its_share():
    # 60% want A-projects, 40% want B-projects; budget 10, each project costs 5... greedy
    # gives everything to the majority, equal shares gives the minority its share.
    costs = {"a1": 3, "a2": 3, "a3": 3, "b1": 3, "b2": 3}
    ballots = [["a1", "a2", "a3"]] * 6 + [["b1", "b2"]] * 4
    e = election(costs, 12, ballots)
    assert sorted(run(e, "greedy").selected) == ["a1", "a2", "a3", "b1"]
    mes = run(e, "mes")
    assert sorted(mes.selected) == ["a1", "a2", "b1"]
    assert mes.explanations["a3"]["reason"] == "outbid"
    # 6 A-voters held 7.2 and paid 6 for a1, a2: 1.2 left, less than a3's cost of 3.
    assert Fraction(mes.explanations["a3"]["supporters_money"]) == Fraction(6, 5)
    completed = run(e, "mes-completion")
    assert sum(e.projects[p].cost for p in completed.selected) <= 12
    assert len(completed.selected) == 4


def test_points_ballots_use_points_as_utilities():
    e = election(
        {"x": 10, "y": 10}, 10, [{"x": 7, "y": 3}, {"y": 6, "x": 4}], kind="points"
    )
    out = run(e, "greedy", "points-cost")
    assert out.support == {"x": 11, "y": 9}
    assert out.selected == ["x"]


def test_ranked_ballots_use_the_documented_scoring():
    e = election(
        {"x": 5, "y": 5, "z": 5}, 5, [["y", "x", "z"], ["x", "y"], ["x"]], kind="ranked"
    )
    borda = run(e, "greedy", "borda")  # len - position - 1
    assert borda.support == {"x": 1 + 1 + 0, "y": 2 + 0, "z": 0}
    ranks = run(e, "greedy", "rank-points")  # k - position, k = 3
    assert ranks.support == {"x": 2 + 3 + 3, "y": 3 + 2, "z": 1}
    assert ranks.selected == ["x"]


def test_ring_fence_is_met_when_feasible():
    costs = {"road": 50, "park": 40, "youth1": 20, "youth2": 30}
    cats = {
        "youth1": "youth",
        "youth2": "youth",
        "road": "transport",
        "park": "environment",
    }
    ballots = [["road", "park"]] * 10 + [["youth1"]] * 2 + [["youth2"]]
    plain = run(election(costs, 100, ballots, categories=cats), "greedy")
    assert "youth1" not in plain.selected
    fenced = run(
        election(costs, 100, ballots, categories=cats, ring_fences={"youth": 20}),
        "greedy",
    )
    assert "youth1" in fenced.selected
    assert fenced.explanations["youth1"]["reason"] == "ring_fence"
    assert fenced.ring_fences == [
        {
            "category": "youth",
            "minimum": "20",
            "spent": "20",
            "met": True,
            "projects": ["youth1"],
        }
    ]
    assert fenced.spent <= 100


def test_ring_fence_that_cannot_be_met_is_explained():
    costs = {"a": 50, "y": 80}
    e = election(
        costs, 100, [["a"], ["y"]], categories={"y": "youth"}, ring_fences={"youth": 90}
    )
    out = run(e, "mes")
    fence = out.ring_fences[0]
    assert fence["met"] is False and fence["spent"] == "80"
    assert "not enough supported projects" in fence["why"]


def test_mes_with_ring_fence_spends_within_budget():
    costs = {f"p{i}": 10 + i for i in range(8)}
    cats = {f"p{i}": "green" for i in range(3)}
    ballots = [[f"p{i}", f"p{(i + 3) % 8}"] for i in range(8)] * 3
    out = run(
        election(costs, 60, ballots, categories=cats, ring_fences={"green": 25}),
        "mes-completion",
    )
    assert out.spent <= 60
    assert out.ring_fences[0]["met"]


def test_every_project_gets_an_explanation():
    e = election({"a": 5, "b": 5, "c": 5}, 5, [["a"], ["a", "b"]])
    for rule in ("greedy", "mes", "mes-completion"):
        out = run(e, rule)
        assert set(out.explanations) == {"a", "b", "c"}
        assert out.explanations["c"]["reason"] in ("no_support", "not_affordable")


def test_exact_money_never_rounds():
    e = election({"a": Fraction(1, 3), "b": Fraction(2, 3)}, 1, [["a", "b"]] * 3)
    out = run(e, "mes")
    assert out.spent == 1 and sorted(out.selected) == ["a", "b"]


def test_empty_ballots_still_hold_a_share_of_the_budget():
    # Two of four voters cast empty ballots: each voter's share is 25, so the project
    # costing 60 cannot be bought by its two supporters under equal shares.
    e = election({"a": 60}, 100, [["a"], ["a"], [], []])
    assert run(e, "mes").selected == []
    assert run(e, "greedy").selected == ["a"]


@pytest.mark.parametrize(
    "bad,message",
    [
        (lambda: Project("a", -1), "negative"),
        (lambda: Project("a", 1.5), "exact"),
        (lambda: election({"a": 1}, 1, [["zz"]]), "not in the election"),
        (lambda: run(election({"a": 1}, 1, [["a"]]), "dictator"), "Unknown rule"),
        (
            lambda: run(election({"a": 1}, 1, [["a"]]), "greedy", "points"),
            "does not apply",
        ),
    ],
)
def test_bad_input_gets_a_clear_error(bad, message):
    with pytest.raises(TallyError, match=message):
        bad()
