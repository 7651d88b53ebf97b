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
from fractions import Fraction
from math import ceil, floor
from numbers import Rational

import numpy as np

try:  # exact rationals in C: the same numbers as Fraction, an order of magnitude faster
    from gmpy2 import mpq as Q
except ImportError:  # pragma: no cover - gmpy2 is a dependency; Fraction is exact too
    Q = Fraction

from .model import Project
from .outcome import money
from .profile import Profile
from .support import _Support


class _Run:
    """One MES run at one per-voter budget: budget classes with their money.

    With `step` set it also proves for how many steps of the per-voter budget its
    outcome stays the same (`limit`: the first step that needs a run of its own), over
    a horizon of at most `horizon` steps. Each class then carries, besides its exact
    money now, a lower and an upper affine bound on how its money grows with the
    per-voter budget over the horizon (`lows`, `highs`: slopes per unit of budget).
    """

    def __init__(
        self,
        support: _Support,
        per_voter: Rational,
        step: Rational | None = None,
        horizon: int = 0,
    ):
        self.support = support
        self.step = step
        self.limit: int | None = horizon + 1 if step is not None else None
        one, zero = Q(1), Q(0)
        self.values: list[Rational] = [per_voter]
        self.lows: list[Rational] = [one]
        self.highs: list[Rational] = [one]
        self.class_of: dict = {per_voter: 0}  # money → class
        self.zero = zero
        # The same money as floats, only to skip exact sums whose answer is clear.
        self.approx = np.empty(64, dtype=np.float64)
        self.approx[0] = float(per_voter)
        self.bid = np.zeros(support.groups, dtype=np.intp)

    @property
    def tracking(self) -> bool:
        """Whether there is still a step to skip (once the very next one needs its
        own run, the rest of this run need not prove anything)."""
        return self.limit is not None and self.limit > 1

    def entries(self, p: str) -> tuple[np.ndarray, np.ndarray]:
        """p's supporters counted by key (class, or class × utility level): the keys
        present and how many voters hold each (whole numbers, as floats)."""
        at, w, levels, level = self.support.of[p]
        keys = self.bid[at]
        if levels is not None:
            keys = keys * len(levels) + level
        counts = np.bincount(keys, weights=w)
        present = np.flatnonzero(counts)
        return present, counts[present]

    def rows(self, p: str, entries) -> list[tuple[int, Rational, int]]:
        """(class, utility, voters) for each key in `entries`."""
        present, counts = entries
        voters = counts.astype(np.int64).tolist()
        levels = self.support.of[p][2]
        if levels is None:
            u = self.support.uniform[p]
            return [(c, u, n) for c, n in zip(present.tolist(), voters, strict=True)]
        size = len(levels)
        return [
            (k // size, levels[k % size], n)
            for k, n in zip(present.tolist(), voters, strict=True)
        ]

    def affordable(self, p: str, entries) -> bool:
        """Whether p's supporters still hold its cost between them (exact; floats
        only decide the cases that are clear by a wide margin)."""
        present, counts = entries
        levels = self.support.of[p][2]
        classes = present if levels is None else present // len(levels)
        estimate = float(np.dot(self.approx[classes], counts))
        cost = self.support.cost[p]
        if estimate > float(cost) * (1 + 1e-9) + 1e-9:
            return True
        held, held_slope = self.money_of(self.rows(p, entries))
        if held < cost:
            # Out of reach for good, while even the most they could hold is too little.
            self.need(held, held_slope, cost, self.zero, True)
            return False
        return True

    def money_of(self, rows) -> tuple[Rational, Rational]:
        """What these rows hold now, and the upper bound on how fast that grows."""
        values, highs = self.values, self.highs
        total = sum((values[c] * n for c, _u, n in rows), Q(0))
        if not self.tracking:
            return total, self.zero
        return total, sum((highs[c] * n for c, _u, n in rows), Q(0))

    def flip(self, x0, x1, y0, y1, strict: bool) -> int | None:
        """The first step at which x ≤ y (x < y when strict), true now, could stop
        being true, where x and y grow by x1 and y1 per unit of per-voter budget."""
        shrink = x1 - y1
        if shrink <= 0:
            return None  # the gap never narrows
        steps = Q(y0 - x0) / (shrink * self.step)
        first = ceil(steps) if strict else floor(steps) + 1
        return max(int(first), 1)

    def need(self, x0, x1, y0, y1, strict: bool) -> None:
        """Record that this run relied on x ≤ y (x < y when strict)."""
        if self.tracking:
            self.cap(self.flip(x0, x1, y0, y1, strict))

    def cap(self, first: int | None) -> None:
        if first is not None and first < self.limit:
            self.limit = first

    def rho(self, p: str, rows) -> tuple[Rational, Rational, list, int] | None:
        """Lowest price per unit of utility at which p's supporters can pay its cost,
        and a lower bound on how it changes as budgets rise (see `_run`)."""
        highs, track = self.highs, self.tracking
        price, rows, capped = _price(self.support, p, rows, self.values)
        if price is None:
            return None
        if not track:
            return price, self.zero, rows, capped
        # With the same supporters capped, and each holding its upper bound: the
        # tangent to the true (convex) price, so never above it.
        held = sum((highs[c] * n for c, _u, n in rows[:capped]), Q(0))
        denominator = self.support.total_sat[p] - sum(
            (u * n for _c, u, n in rows[:capped]), Q(0)
        )
        return price, -held / denominator, rows, capped

    def price_bound(self, p: str, rows, price) -> Rational | None:
        """How fast the funded project's price can at most change: the chord of its
        price over the horizon with every budget at its lower bound."""
        if not self.tracking:
            return self.zero
        values, lows, step, cost = (
            self.values,
            self.lows,
            self.step,
            self.support.cost[p],
        )
        held = sum((values[c] * n for c, _u, n in rows), Q(0))
        held_low = sum((lows[c] * n for c, _u, n in rows), Q(0))
        # The lower bound must keep the project affordable over the whole horizon.
        self.need(cost, self.zero, held, held_low, False)
        if not self.tracking:
            return self.zero
        reach = (self.limit - 1) * step
        at_reach = {c: values[c] + lows[c] * reach for c, _u, _n in rows}
        far, _rows, _capped = _price(self.support, p, rows, at_reach)
        return (far - price) / reach

    def pay(self, p: str, rho: Rational, low: Rational, high: Rational) -> None:
        """p's supporters pay ρ × utility each (or all they have): move their groups.

        ρ lies between the affine bounds `low` and `high` (slopes) over the horizon,
        and each class's money after paying, max(0, money − ρ × utility), between
        affine bounds drawn from them."""
        at, _w, levels, level = self.support.of[p]
        keys = self.bid[at]
        if levels is not None:
            keys = keys * len(levels) + level
        uniform = self.support.uniform[p]
        counts = np.bincount(keys)
        present = np.flatnonzero(counts)
        moved = np.zeros(len(counts), dtype=np.intp)
        values, lows, highs = self.values, self.lows, self.highs
        class_of, track, zero = self.class_of, self.tracking, self.zero
        reach = (self.limit - 1) * self.step if track else None
        for k in present.tolist():
            if levels is None:
                c, u = k, uniform
            else:
                c, u = k // len(levels), levels[k % len(levels)]
            left = values[c] - rho * u
            value = left if left > 0 else zero
            if not track:
                low_slope = high_slope = zero
            else:
                up = highs[c] - low * u  # most money, least price
                down = lows[c] - high * u  # least money, most price
                if left > 0:
                    low_slope, high_slope = down, (up if up > 0 else zero)
                elif left == 0:
                    low_slope = down if down > 0 else zero
                    high_slope = up if up > 0 else zero
                else:  # capped now: may have money left by the end of the horizon
                    end = left + up * reach
                    low_slope, high_slope = zero, (end / reach if end > 0 else zero)
            # Groups left with nothing stay apart by how fast they could regain money.
            key = (value, low_slope, high_slope) if track and not value else value
            new = class_of.get(key)
            if new is None:
                new = class_of[key] = len(values)
                values.append(value)
                lows.append(low_slope)
                highs.append(high_slope)
                if new == len(self.approx):
                    self.approx = np.resize(self.approx, 2 * new)
                self.approx[new] = float(value)
            elif track:
                # Groups with the same money share a class: its bounds cover them all.
                if low_slope < lows[new]:
                    lows[new] = low_slope
                if high_slope > highs[new]:
                    highs[new] = high_slope
            moved[k] = new
        self.bid[at] = moved[keys]


def _price(support: _Support, p: str, rows, money) -> tuple[Rational | None, list, int]:
    """ρ for p when class c holds money[c]: the lowest price per unit of utility its
    supporters can pay (None when they cannot pay its cost), the rows from the poorest
    per unit of utility, and how many of them pay all they have."""
    if support.uniform[p] is None:
        rows = sorted(rows, key=lambda e: money[e[0]] / e[1])
    else:
        rows = sorted(rows, key=lambda e: money[e[0]])
    remaining = support.cost[p]
    denominator = support.total_sat[p]
    capped = 0
    for c, u, n in rows:
        candidate = remaining / denominator
        if candidate * u <= money[c]:
            return candidate, rows, capped
        capped += 1
        remaining -= money[c] * n
        denominator -= u * n
        if denominator == 0:
            break
    return None, rows, capped


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
