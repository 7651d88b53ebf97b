"""A compiled MES run in floating point that knows when it can be trusted.

The completion (add1) runs MES once per increment of the per-voter budget: hundreds of
runs on a city's election. This module runs each of them in float64, compiled by numba,
and keeps beside every amount of money a proven bound on how far it can be from the
exact amount (a running error analysis: each operation's rounding, at most one unit in
the last place, and each input's own error, added up). Every decision a run takes is
checked against those bounds:

- which project is cheapest: its price must be below every other project's price by
  more than both errors (an exact tie, or one too close to call, is never decided here);
- whether a project is still affordable: its supporters' money must be clearly above or
  clearly below its cost;
- while pricing, whether each supporter pays in full: clearly, or not at all.

If every decision is clear, the run took exactly the decisions that exact arithmetic
takes, so it funds the same projects in the same order: money only feeds later decisions
through continuous functions (a price is the root of a monotone equation, a payment is
max(0, money − price)), and the bounds carry those errors forward. If any decision is
too close to call, the run says it is unsure and the caller reruns that budget exactly
(`mes._run`). So outcomes are exact; floats only make the clear cases fast.

The engine still runs without numba: `available()` is then False and the completion
uses the exact runs alone.
"""

from __future__ import annotations

import importlib.util
import threading
from fractions import Fraction

import numpy as np

try:  # exact rationals in C, as in support.py; Fraction where gmpy2 is missing
    from gmpy2 import mpq as Q
except ImportError:  # pragma: no cover - gmpy2 is a dependency
    Q = Fraction

OK, UNSURE = 0, 1
UNIT = 2.0**-53  # unit roundoff of float64


def available() -> bool:
    """Whether numba is installed (imported only when a completion first needs it)."""
    return importlib.util.find_spec("numba") is not None


_compiling = threading.Lock()
_compiled = None


def compiled():
    """The kernel, compiled: about 5 s the first time after an install or a change to
    this file, then loaded from numba's cache on disk (__pycache__, or NUMBA_CACHE_DIR)
    in a tenth of a second. Once per process, whichever thread asks first (a request
    and the live-results timer may ask at once; the others wait for it)."""
    global _compiled, _two_product, _compare
    if _compiled is None:
        with _compiling:
            if _compiled is None:
                from numba import njit

                jit = njit(cache=True, nogil=True)
                _two_product = jit(_two_product)
                _compare = jit(_compare)
                _compiled = jit(_kernel)
    return _compiled


def _two_product(a, b):
    """a × b as p + e exactly (Dekker's product; a and b well inside the range)."""
    p = a * b
    split = 134217729.0  # 2**27 + 1
    t = split * a
    a_high = t - (t - a)
    a_low = a - a_high
    t = split * b
    b_high = t - (t - b)
    b_low = b - b_high
    e = ((a_high * b_high - p) + a_high * b_low + a_low * b_high) + a_low * b_low
    return p, e


def _compare(a, b, c, d):
    """The sign of a/b − c/d, exactly, for whole (or binary) a, b, c, d below 2**53
    with b, d > 0."""
    p1, e1 = _two_product(a, d)
    p2, e2 = _two_product(c, b)
    if p1 != p2:
        return 1 if p1 > p2 else -1
    if e1 != e2:
        return 1 if e1 > e2 else -1
    return 0


def _kernel(
    per_voter,
    per_voter_err,
    ptr,
    grp,
    wts,
    util,
    uniform,
    cost,
    bound,
    bound_err,
    groups,
):
    """One MES run. Returns (status, order, funded): `order[:funded]` are candidate
    indices in funding order (ties would go to the lower index, which is the lower
    id, but a tie is never decided here: it makes the run UNSURE)."""
    projects = cost.shape[0]
    capacity = 1024
    money = np.empty(capacity)
    err = np.empty(capacity)
    money[0] = per_voter
    err[0] = per_voter_err
    money[1] = 0.0  # the class of voters with nothing left, known exactly
    err[1] = 0.0
    classes = 2
    cls = np.zeros(groups, np.int64)
    slot = np.full(capacity, -1, np.int64)  # class → its row while pricing
    live = np.ones(projects, np.bool_)
    priced = np.zeros(projects, np.bool_)
    # Whether a price is known exactly, as cost / utility of the supporters who pay a
    # share (every supporter who pays in full holds exactly nothing): such prices tie
    # often (1/N when N supporters share a cost) and are compared exactly.
    exact = np.zeros(projects, np.bool_)
    over = np.zeros(projects)  # that price as a fraction: cost / utility
    low = bound.copy()  # lower bound on each price: prices only rise in a run
    low_err = bound_err.copy()
    order = np.empty(projects, np.int64)
    funded = 0
    most = 0
    for p in range(projects):
        most = max(most, ptr[p + 1] - ptr[p])
    row_cls = np.empty(most, np.int64)
    row_u = np.empty(most)
    row_n = np.empty(most)
    row_key = np.empty(most)
    while True:
        priced[:] = False
        best = -1
        best_price = 0.0
        best_err = 0.0
        while True:
            # The unpriced live project with the lowest bound (less its error).
            q = -1
            q_low = np.inf
            for i in range(projects):
                if live[i] and not priced[i]:
                    v = low[i] - low_err[i]
                    if v < q_low:
                        q_low = v
                        q = i
            if q < 0:
                break
            if best >= 0 and q_low * (1 - 4 * UNIT) > (best_price + best_err) * (
                1 + 4 * UNIT
            ):
                break  # clearly no unpriced project can undercut the best
            # p's supporters as rows (class, utility, voters).
            k = 0
            start, end = ptr[q], ptr[q + 1]
            if uniform[q]:
                u0 = util[start]
                for e in range(start, end):
                    c = cls[grp[e]]
                    s = slot[c]
                    if s < 0:
                        slot[c] = k
                        row_cls[k] = c
                        row_u[k] = u0
                        row_n[k] = wts[e]
                        k += 1
                    else:
                        row_n[s] += wts[e]
                for r in range(k):
                    slot[row_cls[r]] = -1
            else:
                for e in range(start, end):
                    row_cls[k] = cls[grp[e]]
                    row_u[k] = util[e]
                    row_n[k] = wts[e]
                    k += 1
            held = 0.0
            held_err = 0.0
            for r in range(k):
                held += row_n[r] * money[row_cls[r]]
                held_err += row_n[r] * err[row_cls[r]]
            held_err += (2 * k + 4) * UNIT * held
            c_q = cost[q]
            if held + held_err < c_q:
                live[q] = False  # clearly out of reach for good
                continue
            if held - held_err < c_q:
                return UNSURE, order, funded  # affordable or not: too close to call
            for r in range(k):
                row_key[r] = money[row_cls[r]] / row_u[r]
            rank = np.argsort(row_key[:k])
            remaining = c_q  # cost less what the capped rows pay
            capped = 0.0
            capped_err = 0.0
            denominator = 0.0  # utility of the rows not capped (exact: integers)
            for r in range(k):
                denominator += row_u[r] * row_n[r]
            price = -1.0
            price_err = 0.0
            known = True  # every row capped so far holds exactly nothing
            for j in range(k):
                r = rank[j]
                c = row_cls[r]
                candidate = remaining / denominator
                candidate_err = (
                    capped_err + (2 * j + 4) * UNIT * (c_q + capped)
                ) / denominator + 2 * UNIT * candidate
                ratio = row_key[r]
                ratio_err = err[c] / row_u[r] + 2 * UNIT * ratio
                if candidate + candidate_err < ratio - ratio_err:
                    price = candidate
                    price_err = candidate_err
                    break
                if candidate - candidate_err <= ratio + ratio_err:
                    return UNSURE, order, funded  # pays in full or not: too close
                known = known and money[c] == 0.0 and err[c] == 0.0
                remaining -= row_n[r] * money[c]
                capped += row_n[r] * money[c]
                capped_err += row_n[r] * err[c]
                denominator -= row_u[r] * row_n[r]
            if price < 0:
                return UNSURE, order, funded  # cannot happen when clearly affordable
            priced[q] = True
            low[q] = price
            low_err[q] = price_err
            exact[q] = known
            over[q] = denominator
            if best < 0:
                better = True
            elif exact[q] and exact[best]:
                sign = _compare(cost[q], over[q], cost[best], over[best])
                better = sign < 0 or (sign == 0 and q < best)
            else:
                better = price < best_price or (price == best_price and q < best)
            if better:
                best = q
                best_price = price
                best_err = price_err
        if best < 0:
            break
        # The best must be clearly cheaper than every other priced project.
        top = (best_price + best_err) * (1 + 4 * UNIT)
        for i in range(projects):
            if i != best and priced[i] and live[i]:
                if exact[i] and exact[best]:
                    sign = _compare(cost[i], over[i], cost[best], over[best])
                    if sign > 0 or (sign == 0 and i > best):
                        continue  # exactly dearer, or an exact tie that best wins
                    return UNSURE, order, funded
                if (low[i] - low_err[i]) * (1 - 4 * UNIT) <= top:
                    return UNSURE, order, funded
        # Pay: each supporter pays price × utility, or all they have.
        start, end = ptr[best], ptr[best + 1]
        needed = classes + (end - start) + 2  # at most one new class per entry
        if needed > capacity:
            while capacity < needed:
                capacity *= 2
            grown = np.empty(capacity)
            grown[:classes] = money[:classes]
            money = grown
            grown = np.empty(capacity)
            grown[:classes] = err[:classes]
            err = grown
            slot = np.full(capacity, -1, np.int64)  # every slot is free between rounds
        if uniform[best]:
            u0 = util[start]
            pay = best_price * u0
            pay_err = best_err * u0 + 2 * UNIT * pay
            touched = 0
            for e in range(start, end):
                g = grp[e]
                c = cls[g]
                s = slot[c]
                if s < 0:
                    left = money[c] - pay
                    if left + err[c] + pay_err < 0:
                        s = 1  # clearly pays all it has: the zero class
                    else:
                        s = classes
                        money[s] = left if left > 0 else 0.0
                        err[s] = err[c] + pay_err + 2 * UNIT * money[c]
                        classes += 1
                    slot[c] = s
                    row_cls[touched] = c
                    touched += 1
                cls[g] = s
            for r in range(touched):
                slot[row_cls[r]] = -1
        else:
            for e in range(start, end):
                g = grp[e]
                c = cls[g]
                pay = best_price * util[e]
                pay_err = best_err * util[e] + 2 * UNIT * pay
                left = money[c] - pay
                if left + err[c] + pay_err < 0:
                    cls[g] = 1
                    continue
                money[classes] = left if left > 0 else 0.0
                err[classes] = err[c] + pay_err + 2 * UNIT * money[c]
                cls[g] = classes
                classes += 1
        live[best] = False
        order[funded] = best
        funded += 1
    return OK, order, funded


def _float_exact(values) -> bool:
    return all(Fraction(float(v)) == v for v in values)


class FloatSupport:
    """`support._Support` laid out for the kernel: one row per (group, project it gains
    from), projects in candidate order (ids sorted, so lower index = lower id)."""

    def __init__(self, support):
        self.candidates = list(support.candidates)
        self.free = list(support.free)
        totals = [support.total_sat[p] for p in self.candidates]
        costs = [support.cost[p] for p in self.candidates]
        utilities = [
            u
            for p in self.candidates
            for u in (support.of[p][2] or [support.uniform[p]])
        ]
        # The kernel's sums of costs, utilities and voters are exact in float64 only
        # for whole or binary amounts below 2**53; anything else is counted exactly.
        limit = 2**53
        self.usable = (
            available()
            and _float_exact(utilities)
            and _float_exact(costs)
            and all(t < limit for t in totals)
            and all(c < limit for c in costs)
        )
        if not self.usable:
            return
        sizes = [len(support.of[p][0]) for p in self.candidates]
        self.ptr = np.zeros(len(sizes) + 1, np.int64)
        np.cumsum(sizes, out=self.ptr[1:])
        self.grp = np.concatenate(
            [support.of[p][0] for p in self.candidates] or [np.empty(0, np.intp)]
        ).astype(np.int64)
        self.wts = np.concatenate(
            [support.of[p][1] for p in self.candidates] or [np.empty(0)]
        ).astype(np.float64)
        util = []
        uniform = []
        for p in self.candidates:
            at, _w, levels, level = support.of[p]
            if levels is None:
                util.append(np.full(len(at), float(support.uniform[p])))
                uniform.append(True)
            else:
                values = np.array([float(v) for v in levels])
                util.append(values[level])
                uniform.append(False)
        self.util = np.concatenate(util or [np.empty(0)])
        self.uniform = np.array(uniform, dtype=np.bool_)
        self.cost = np.array([float(c) for c in costs])
        self.groups = support.groups
        # ρ ≥ cost / total utility: the first lower bound, with its rounding.
        exact = [Fraction(c) / Fraction(t) for c, t in zip(costs, totals, strict=True)]
        self.bound = np.array([float(b) for b in exact])
        self.bound_err = (
            np.array(
                [
                    abs(Fraction(f) - b)
                    for f, b in zip(self.bound.tolist(), exact, strict=True)
                ],
                dtype=np.float64,
            )
            * (1 + 4 * UNIT)
            + 4 * UNIT * self.bound
        )

    def run(self, per_voter) -> list[str] | None:
        """The projects MES funds, in order, at this per-voter budget (exact), or None
        when a decision was too close to call in floating point."""
        if not self.candidates:
            return list(self.free)
        value = float(per_voter)
        error = float(abs(Q(value) - Q(per_voter))) * (1 + 4 * UNIT)
        status, order, funded = compiled()(
            value,
            error + 4 * UNIT * value,
            self.ptr,
            self.grp,
            self.wts,
            self.util,
            self.uniform,
            self.cost,
            self.bound,
            self.bound_err,
            self.groups,
        )
        if status != OK:
            return None
        return self.free + [self.candidates[i] for i in order[:funded].tolist()]
