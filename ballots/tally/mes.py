"""The Method of Equal Shares, exactly as pabutools computes it, but fast.

Every voter starts with an equal share of the budget. In each round the project that
can be paid for at the lowest price per unit of utility ρ is funded; each supporter pays
ρ × their utility, or everything they have left if that is less. A project whose
supporters together hold less than its cost can no longer be funded. Ties are broken by
project id as a string (pabutools' lexicographic rule).

Speed comes from two facts: voters with identical ballots always hold identical budgets,
so they are grouped; and budgets take few distinct values, so each project keeps a
histogram of its supporters' budgets (by value id) that is updated only for the groups
that just paid. Computing ρ is then a pass over a handful of distinct budgets. All money
is `Fraction`: outcomes never depend on rounding.
"""

from __future__ import annotations

import heapq
from fractions import Fraction
from numbers import Rational

from .model import Project
from .outcome import money
from .profile import Profile


class _State:
    """Budgets of voter groups, and per-project histograms of (budget id, utility)."""

    def __init__(self, projects: dict[str, Project], profile: Profile):
        self.projects = projects
        self.groups = [(w, utils) for w, utils in profile.groups if utils]
        self.candidates: dict[str, int] = {}  # project → index, supported and costly
        self.free: list[str] = []  # supported projects that cost nothing
        self.supporters: dict[str, list[int]] = {}
        totals: dict[str, Rational] = {}
        for g, (w, utils) in enumerate(self.groups):
            for p, u in utils.items():
                self.supporters.setdefault(p, []).append(g)
                totals[p] = totals.get(p, 0) + w * u
        # Where every supporter gains the same (approval ballots), histograms are keyed
        # by budget id alone; otherwise by (budget id, utility).
        self.uniform: dict[str, Rational | None] = {}
        for p, groups in self.supporters.items():
            first = self.groups[groups[0]][1][p]
            same = all(self.groups[g][1][p] == first for g in groups)
            self.uniform[p] = first if same else None
        for p in sorted(self.supporters):
            if p not in projects:
                continue
            if projects[p].cost > 0:
                self.candidates[p] = len(self.candidates)
            else:
                self.free.append(p)
        self.total_sat = totals

    def reset(self, per_voter: Fraction):
        self.values: list[Fraction] = [per_voter]
        self.value_ids: dict[Fraction, int] = {per_voter: 0}
        self.bid = [0] * len(self.groups)
        self.hist: dict[str, dict] = {}
        for p in self.candidates:
            h: dict = {}
            if self.uniform[p] is not None:
                h[0] = sum(self.groups[g][0] for g in self.supporters[p])
            else:
                for g in self.supporters[p]:
                    w, utils = self.groups[g]
                    key = (0, utils[p])
                    h[key] = h.get(key, 0) + w
            self.hist[p] = h

    def entries(self, p: str):
        """(budget, utility, weight) for p's supporters, grouped by equal budget."""
        values, u = self.values, self.uniform[p]
        if u is not None:
            return [(values[b], u, w) for b, w in self.hist[p].items()]
        return [(values[b], uu, w) for (b, uu), w in self.hist[p].items()]

    def value_id(self, value: Fraction) -> int:
        vid = self.value_ids.get(value)
        if vid is None:
            vid = len(self.values)
            self.values.append(value)
            self.value_ids[value] = vid
        return vid

    def money_of_supporters(self, p: str) -> Fraction:
        if p in self.hist:
            return sum((b * w for b, _u, w in self.entries(p)), Fraction(0))
        values, bid, groups = self.values, self.bid, self.groups
        return sum(
            (values[bid[g]] * groups[g][0] for g in self.supporters[p]), Fraction(0)
        )

    def rho(self, p: str) -> Fraction | None:
        """Lowest price per unit of utility at which p's supporters can pay its cost."""
        entries = sorted(
            ((budget / u, budget, u, w) for budget, u, w in self.entries(p)),
            key=lambda e: e[0],
        )
        remaining = Fraction(self.projects[p].cost)
        denominator = self.total_sat[p]
        for _ratio, budget, u, w in entries:
            candidate = remaining / denominator
            if candidate * u <= budget:
                return candidate
            remaining -= budget * w
            denominator -= u * w
            if denominator == 0:
                break
        return None

    def pay(self, p: str, rho: Fraction) -> None:
        """p's supporters pay ρ × utility each (or all they have); move their groups."""
        uniform = self.uniform
        remap: dict = {}
        for b, u, _w in self.entries(p):
            old_value = b
            remap[(self.value_ids[b], u)] = self.value_id(
                old_value - min(old_value, rho * u)
            )
        hist = self.hist
        for g in self.supporters[p]:
            w, utils = self.groups[g]
            old = self.bid[g]
            new = remap[(old, utils[p])]
            if new == old:
                continue
            self.bid[g] = new
            for q, u in utils.items():
                h = hist.get(q)
                if h is None:
                    continue
                if uniform[q] is not None:
                    okey, nkey = old, new
                else:
                    okey, nkey = (old, u), (new, u)
                left = h[okey] - w
                if left:
                    h[okey] = left
                else:
                    del h[okey]
                h[nkey] = h.get(nkey, 0) + w


def _run(state: _State, per_voter: Fraction, explanations: dict | None) -> list[str]:
    state.reset(per_voter)
    funded = list(state.free)
    if explanations is not None:
        for p in state.free:
            explanations[p] = {
                "status": "funded",
                "reason": "equal_shares_free",
                "round": 0,
            }
    bounds = {
        p: Fraction(state.projects[p].cost) / state.total_sat[p]
        for p in state.candidates
    }
    live = set(state.candidates)
    round_no = 0
    while live:
        round_no += 1
        best: Fraction | None = None
        tied: list[str] = []
        heap = [(bounds[q], q) for q in live]
        heapq.heapify(heap)
        while heap:
            bound, p = heapq.heappop(heap)
            if best is not None and bound > best:
                break  # bounds only rise as budgets fall: nothing later can win
            if state.money_of_supporters(p) < state.projects[p].cost:
                live.discard(p)
                del state.hist[p]  # can never be funded now: stop tracking it
                continue
            r = state.rho(p)
            if r is None:
                live.discard(p)
                del state.hist[p]
                continue
            bounds[p] = r
            if best is None or r < best:
                best, tied = r, [p]
            elif r == best:
                tied.append(p)
        if best is None:
            break
        chosen = min(tied)
        if explanations is not None:
            explanations[chosen] = {
                "status": "funded",
                "reason": "equal_shares",
                "round": round_no,
                "price_per_utility": money(best),
                "supporters": sum(w for _b, _u, w in state.entries(chosen)),
            }
        state.pay(chosen, best)
        live.discard(chosen)
        del state.hist[chosen]
        funded.append(chosen)
    if explanations is not None:
        for p in state.candidates:
            if p not in explanations:
                explanations[p] = {
                    "status": "not_funded",
                    "reason": "outbid",
                    "supporters_money": money(state.money_of_supporters(p)),
                    "cost": money(state.projects[p].cost),
                }
    return funded


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
    state = _State(projects, profile)
    return _run(state, Fraction(budget) / profile.voters, explanations)


def equal_shares_add1(
    projects: dict[str, Project],
    budget: Rational,
    profile: Profile,
    *,
    increment: Rational = 1,
    explanations: dict[str, dict] | None = None,
) -> tuple[list[str], Fraction]:
    """MES completed by raising each voter's budget by `increment` (pabutools'
    `voter_budget_increment`, "add1" when 1) until the outcome is exhaustive over the
    supported projects (returned) or overspends (the previous outcome is returned).

    Returns the funded projects and the per-voter budget that produced them.
    """
    if profile.voters == 0:
        return [], Fraction(0)
    state = _State(projects, profile)
    per_voter = Fraction(budget) / profile.voters
    previous: list[str] = []
    previous_budget = per_voter
    previous_expl: dict[str, dict] = {}
    supported = list(state.candidates)
    while True:
        expl: dict[str, dict] = {}
        outcome = _run(state, per_voter, expl)
        cost = sum((projects[p].cost for p in outcome), 0)
        if cost > budget:
            break
        chosen = set(outcome)
        left = budget - cost
        previous, previous_budget, previous_expl = outcome, per_voter, expl
        if not any(p not in chosen and projects[p].cost <= left for p in supported):
            break
        per_voter += increment
    if explanations is not None:
        for p, e in previous_expl.items():
            e = dict(e)
            if e.get("status") == "not_funded":
                e["per_voter_budget"] = money(previous_budget)
            explanations[p] = e
    return previous, previous_budget
