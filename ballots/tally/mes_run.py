"""The state of one run of the Method of Equal Shares (ballots/tally/mes.py): the
voters' budget classes with their money, the price ρ of each project, payment, and (for
completions) the bounds that prove how long the run's outcome holds."""

from __future__ import annotations

from fractions import Fraction
from math import ceil, floor
from numbers import Rational

import numpy as np

try:  # exact rationals in C: the same numbers as Fraction, an order of magnitude faster
    from gmpy2 import mpq as Q
except ImportError:  # pragma: no cover - gmpy2 is a dependency; Fraction is exact too
    Q = Fraction

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
