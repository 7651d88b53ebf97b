"""Greedy utilitarian selection, exactly as pabutools' additive greedy.

Projects are ranked by total utility per unit of cost (with cost utilities that is the
number of votes), ties broken by project id as a string; each is funded if it still
fits, otherwise skipped. Projects nobody supported rank last with score 0 and are still
funded if money is left (pabutools does the same).
"""

from __future__ import annotations

from fractions import Fraction
from numbers import Rational

from .model import Project
from .outcome import money
from .profile import Profile

INF = float("inf")


def density(total: Rational, cost: Rational):
    if total > 0:
        return Fraction(total, 1) / cost if cost > 0 else INF
    return 0


def greedy(
    projects: dict[str, Project],
    budget: Rational,
    profile: Profile,
    *,
    already: list[str] | tuple = (),
    explanations: dict[str, dict] | None = None,
    reason: str = "greedy",
) -> list[str]:
    """Projects funded, in order, after those in `already` (which count against budget)."""
    explanations = explanations if explanations is not None else {}
    totals = profile.total_utility()
    taken = set(already)
    remaining = budget - sum((projects[p].cost for p in already), 0)
    candidates = sorted(pid for pid in projects if pid not in taken)
    ranked = sorted(
        candidates,
        key=lambda pid: (-density(totals.get(pid, 0), projects[pid].cost), pid),
    )
    funded: list[str] = []
    for rank, pid in enumerate(ranked, start=1):
        cost = projects[pid].cost
        score = density(totals.get(pid, 0), cost)
        if cost <= remaining:
            funded.append(pid)
            remaining -= cost
            explanations[pid] = {
                "status": "funded",
                "reason": reason,
                "rank": rank,
                "score": "inf" if score == INF else money(score),
            }
        else:
            explanations.setdefault(
                pid,
                {
                    "status": "not_funded",
                    "reason": "not_affordable"
                    if totals.get(pid, 0) > 0
                    else "no_support",
                    "rank": rank,
                    "cost": money(cost),
                    "remaining_budget": money(remaining),
                    "after": (list(already) + funded)[-1:] or None,
                },
            )
    return funded
