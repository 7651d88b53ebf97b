"""Ballots turned into utilities: what each group of identical voters gains per project."""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Rational

from .model import APPROVAL, POINTS, RANKED, Election, TallyError

# Which utilities each ballot kind supports. Documented in the README:
#   approval  cost         a voter gains the project's cost if they approved it
#                          (greedy then ranks by votes; MES "cost utilities")
#             cardinality  a voter gains 1 per approved project (greedy ranks by votes/cost)
#   points    points       a voter gains the points they gave (pabutools' cardinal utility;
#                          greedy ranks by points per unit of cost)
#             points-cost  points × cost (greedy ranks by total points)
#   ranked    borda        pabutools' Borda: len(ballot) - position - 1 (last ranked gains 0)
#             rank-points  k - position for a ballot ranking up to k projects
#                          (first gains k, k-th gains 1): every ranked project counts
UTILITIES = {
    APPROVAL: ("cost", "cardinality"),
    POINTS: ("points", "points-cost"),
    RANKED: ("borda", "rank-points"),
}
DEFAULT_UTILITY = {APPROVAL: "cost", POINTS: "points", RANKED: "borda"}


@dataclass
class Profile:
    """Groups of identical voters: weight (how many) and utility per project (> 0 only)."""

    groups: list[tuple[int, dict[str, Rational]]]
    voters: int

    def restricted(self, keep: set[str]) -> Profile:
        return Profile(
            [
                (w, {p: u for p, u in utils.items() if p in keep})
                for w, utils in self.groups
            ],
            self.voters,
        )

    def total_utility(self) -> dict[str, Rational]:
        # Weights are summed per (project, utility) first, so each distinct utility is
        # multiplied once (with cost utilities, once per project): the same exact sums.
        # Keyed by numerator and denominator: hashing a Fraction costs more than
        # the multiplication it saves.
        weights: dict[str, dict[tuple[int, int], list]] = {}
        for weight, utils in self.groups:
            for project, u in utils.items():
                per = weights.setdefault(project, {})
                key = (u.numerator, u.denominator)
                if key in per:
                    per[key][1] += weight
                else:
                    per[key] = [u, weight]
        return {
            project: sum((u * w for u, w in per.values()), 0)
            for project, per in weights.items()
        }

    def supporters(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for weight, utils in self.groups:
            for project in utils:
                counts[project] = counts.get(project, 0) + weight
        return counts


def build_profile(
    election: Election, utility: str | None = None, max_rank: int | None = None
) -> Profile:
    kind = election.ballots.kind
    utility = utility or DEFAULT_UTILITY[kind]
    if utility not in UTILITIES[kind]:
        raise TallyError(
            f"Utility {utility!r} does not apply to {kind} ballots; use one of {UTILITIES[kind]}."
        )
    costs = {pid: p.cost for pid, p in election.projects.items()}
    groups: list[tuple[int, dict[str, Rational]]] = []
    counts = election.ballots.counts
    if kind == APPROVAL:
        if utility == "cost":
            costly = {
                p for p, c in costs.items() if c > 0
            }  # compared once, not per ballot
            groups = [
                (w, {p: costs[p] for p in b if p in costly}) for b, w in counts.items()
            ]
        else:
            groups = [(w, dict.fromkeys(b, 1)) for b, w in counts.items()]
    elif kind == POINTS:
        if utility == "points":
            groups = [(w, {p: v for p, v in b if v > 0}) for b, w in counts.items()]
        else:
            groups = [
                (w, {p: v * costs[p] for p, v in b if v > 0 and costs[p] > 0})
                for b, w in counts.items()
            ]
    else:
        k = max_rank or max((len(b) for b in counts), default=0)
        for b, w in counts.items():
            if utility == "borda":
                utils = {p: len(b) - i - 1 for i, p in enumerate(b)}
            else:
                utils = {p: k - i for i, p in enumerate(b)}
            groups.append((w, {p: u for p, u in utils.items() if u > 0}))
    return Profile(groups, election.ballots.voters)
