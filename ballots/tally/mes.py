"""The Method of Equal Shares and its completions, exactly as pabutools computes them,
but fast.

Every voter starts with an equal share of the budget. In each round the project that
can be paid for at the lowest price per unit of utility ρ is funded; each supporter pays
ρ × their utility, or everything they have left if that is less. A project whose
supporters together hold less than its cost can no longer be funded. Ties are broken by
project id as a string (pabutools' lexicographic rule).

Speed: voters with identical ballots are grouped, and groups holding the same amount of
money share a *budget class*. Which class each group is in is a numpy integer array;
per project, a weighted `bincount` over its supporters gives the few distinct budgets
it has to look at. All money is an exact rational (gmpy2's `mpq`, a C implementation
of `Fraction`, when installed) and only ever computed per class, so outcomes never
depend on rounding (numpy only counts voters, which it does exactly).

Completions raise every voter's budget by a fixed increment until a stop condition
(pabutools' `voter_budget_increment`, "add1"). Rerunning MES at every increment is what
makes that slow, so each run also proves how many increments its outcome survives
(the proof is in `_run`'s docstring) and the next run starts at the first one it does
not cover. The runs themselves are exact: only the skipping uses the bounds.
"""

from __future__ import annotations

import heapq
from numbers import Rational

from .mes_run import Q, _Run
from .model import Project
from .outcome import money
from .profile import Profile
from .support import _Support


def _fresh_flip(run: _Run, p, rho, rho_slope, strict, bounds) -> int | None:
    """When p could first undercut the funded project's price, judged from p's
    supporters' money now (a project that is not affordable stays out of reach while
    even the most its supporters could hold is too little)."""
    rows = run.rows(p, run.entries(p))
    held, held_slope = run.money_of(rows)
    cost = run.support.cost[p]
    if held < cost:
        return run.flip(held, held_slope, cost, run.zero, True)
    r, r_slope, _rows, _capped = run.rho(p, rows)
    bounds[p] = (r, r_slope)
    return run.flip(rho, rho_slope, r, r_slope, strict)


def _run(
    support: _Support,
    per_voter: Rational,
    explanations: dict | None = None,
    step: Rational | None = None,
    horizon: int = 0,
) -> tuple[list[str], int | None]:
    """One MES run: the projects funded in order, and (with `step`) the first step of
    the per-voter budget, at most `horizon` + 1, whose outcome could differ.

    The proof: over the horizon every class's money lies between two affine bounds.
    A project's price falls as its supporters' money rises and, with money affine in
    the budget, is a convex function of it; so the tangent with every budget at its
    upper bound is a lower bound on any project's price, and the chord with every
    budget at its lower bound an upper bound on the funded project's. While the funded
    project's upper bound stays below the lower bound of every live project that
    shares a supporter with it (ties: by id), and projects found unaffordable stay so
    at their upper bound, the same projects are funded, each after the same projects
    it shares supporters with, so at the same price.

    Only projects that share supporters need comparing: a project's price depends
    only on what its own supporters have paid, so funding two projects with no
    supporter in common in either order leaves the same budgets. If q is funded
    before a neighbour p, p's price then (a lower bound on it later) stays above q's;
    a project dropped as unaffordable stays below its cost once the same neighbours
    are paid for, and before that is undercut by the next of them to be funded. So
    ordering the funded projects by price (then id) at the new budget gives a run of
    MES that funds them, each after the same neighbours, and nothing else."""
    run = _Run(support, per_voter, step, horizon)
    cost, total_sat = support.cost, support.total_sat
    funded = list(support.free)
    if explanations is not None:
        for p in support.free:
            explanations[p] = {
                "status": "funded",
                "reason": "equal_shares_free",
                "round": 0,
            }
    zero = Q(0)
    # ρ never falls below cost / total utility: a lower bound that only rises.
    bounds = {p: (cost[p] / total_sat[p], zero) for p in support.candidates}
    live = set(support.candidates)
    # Lowest bound first; an entry is stale once its project is gone or re-priced.
    heap = [(bound, p) for p, (bound, _slope) in bounds.items()]
    heapq.heapify(heap)
    round_no = 0
    while live:
        round_no += 1
        best: Rational | None = None
        tied: list[str] = []
        priced: dict[str, tuple] = {}
        while heap:
            bound, p = heap[0]
            if p not in live or p in priced or bound != bounds[p][0]:
                heapq.heappop(heap)
                if p in live and p not in priced and bound < bounds[p][0]:
                    heapq.heappush(heap, (bounds[p][0], p))  # re-priced meanwhile
                continue
            if best is not None and bound > best:
                break  # bounds only rise as budgets fall: nothing later can win
            heapq.heappop(heap)
            entries = run.entries(p)
            if not run.affordable(p, entries):
                live.discard(p)  # can never be funded now
                continue
            r = run.rho(p, run.rows(p, entries))
            if r is None:
                live.discard(p)
                continue
            bounds[p] = r[:2]
            priced[p] = r
            if best is None or r[0] < best:
                best, tied = r[0], [p]
            elif r[0] == best:
                tied.append(p)
        for p, r in priced.items():
            heapq.heappush(heap, (r[0], p))
        if best is None:
            break
        chosen = min(tied)
        rho, rho_low, rows, _capped = priced[chosen]
        rho_high = run.price_bound(chosen, rows, rho)
        if run.tracking:
            # The chosen project stays cheaper than every project it shares a
            # supporter with (ties go to the lower id); see the docstring.
            near = support.neighbours[chosen]
            for p, (r, r_slope, _rows, _c) in priced.items():
                if p != chosen and p in near:
                    run.need(rho, rho_high, r, r_slope, p < chosen)
            for p in near:
                if p not in live or p in priced:
                    continue
                r, r_slope = bounds[p]
                first = run.flip(rho, rho_high, r, r_slope, p < chosen)
                if first is not None and first < run.limit:
                    # An old bound gives way soon: price p now for a tighter one.
                    fresh = _fresh_flip(run, p, rho, rho_high, p < chosen, bounds)
                    first = None if fresh is None else max(first, fresh)
                run.cap(first)
        if explanations is not None:
            explanations[chosen] = {
                "status": "funded",
                "reason": "equal_shares",
                "round": round_no,
                "price_per_utility": money(rho),
                "supporters": sum(n for _c, _u, n in rows),
            }
        run.pay(chosen, rho, rho_low, rho_high)
        live.discard(chosen)
        funded.append(chosen)
    if explanations is not None:
        for p in support.candidates:
            if p not in explanations:
                explanations[p] = {
                    "status": "not_funded",
                    "reason": "outbid",
                    "supporters_money": money(
                        run.money_of(run.rows(p, run.entries(p)))[0]
                    ),
                    "cost": money(cost[p]),
                }
    return funded, run.limit


def equal_shares(
    projects: dict[str, Project],
    budget: Rational,
    profile: Profile,
    *,
    explanations: dict[str, dict] | None = None,
) -> list[str]:
    """MES with each voter holding budget / voters. Returns projects in funding order."""
    if profile.voters == 0:
        return []
    support = _Support(projects, profile)
    return _run(support, Q(budget) / profile.voters, explanations)[0]
