"""Completions of the Method of Equal Shares: raise every voter's budget by a fixed
increment until a stop condition (pabutools' `voter_budget_increment`, "add1"). Each
run proves how many increments its outcome survives, so the next run starts at the
first one it does not cover (the proof is in `mes._run`'s docstring)."""

from __future__ import annotations

from fractions import Fraction
from numbers import Rational

try:  # exact rationals in C: the same numbers as Fraction, an order of magnitude faster
    from gmpy2 import mpq as Q
except ImportError:  # pragma: no cover - gmpy2 is a dependency; Fraction is exact too
    Q = Fraction

from .fast import FloatSupport
from .mes import _run
from .model import Project, TallyError
from .outcome import money
from .profile import Profile
from .support import _Support

# How a completion stops raising budgets, and which of the outcomes it keeps:
#   "exhaustive"  pabutools' add1: stop at the first outcome that is exhaustive over the
#                 supported projects (keep it) or that overspends (keep the one before)
#   "overspend"   ignore exhaustiveness: keep raising until the outcome overspends and
#                 keep the last one that did not (pabutools' exhaustion_by_budget_increase
#                 with exhaustive_stop=False)
#   "utilitarian" raise until the outcome overspends, and keep, of all the outcomes that
#                 did not, the one with the greatest total utility (the earliest on ties)
COMPLETIONS = ("exhaustive", "overspend", "utilitarian")


def _stretches(support: _Support, start: Rational, step: Rational):
    """MES outcomes from the starting per-voter budget upward, one per stretch of
    budgets that provably share it: (funded in order, first budget, last budget).

    With the compiled float runs (fast.py) every increment is run, in microseconds to
    milliseconds, and the rare run with a decision too close to call in floats is run
    again exactly. Without them, each exact run proves how many increments its outcome
    survives (`_run`) and the next run starts after them."""
    fast = FloatSupport(support)
    steps, horizon = 0, 32
    while True:
        budget = start + steps * step
        if fast.usable:
            outcome = fast.run(budget)
            if outcome is None:
                outcome = _run(support, budget)[0]
            yield outcome, budget, budget
            steps += 1
            continue
        outcome, limit = _run(support, budget, step=step, horizon=horizon)
        # Every increment before `limit` gives this same outcome.
        yield outcome, budget, start + (steps + limit - 1) * step
        steps += limit
        # Look as far ahead as the last proof reached, and further if it held.
        horizon = max(32, 4 * limit)


def equal_shares_add1(
    projects: dict[str, Project],
    budget: Rational,
    profile: Profile,
    *,
    increment: Rational = 1,
    stop: str = "exhaustive",
    explanations: dict[str, dict] | None = None,
) -> tuple[list[str], Fraction]:
    """MES completed by raising each voter's budget by `increment` at a time (see
    COMPLETIONS for `stop`). Returns the funded projects and the per-voter budget that
    produced them (the highest budget that produces them, of those tried)."""
    if stop not in COMPLETIONS:
        raise TallyError(f"Unknown completion {stop!r}; expected one of {COMPLETIONS}.")
    if profile.voters == 0:
        return [], Fraction(0)
    step = Q(increment)
    if step <= 0:
        raise TallyError("The budget increment must be more than 0.")
    support = _Support(projects, profile)
    start = Q(budget) / profile.voters
    totals = profile.total_utility() if stop == "utilitarian" else {}
    kept: tuple[list[str], Fraction] | None = None
    kept_welfare = None
    everything = len(support.free) + len(support.candidates)
    spent_on: dict[tuple, Rational] = {}  # consecutive budgets often fund the same
    for outcome, first, last in _stretches(support, start, step):
        key = tuple(outcome)
        spent = spent_on.get(key)
        if spent is None:  # free projects cost nothing; the rest as exact rationals
            spent = spent_on[key] = sum((support.cost.get(p, 0) for p in outcome), 0)
        if spent > budget:
            break
        if stop == "exhaustive":
            chosen, left = set(outcome), budget - spent
            if not any(
                p not in chosen and support.cost[p] <= left for p in support.candidates
            ):
                kept = (outcome, first)
                break
        if stop != "utilitarian":
            kept = (outcome, last)
        else:
            welfare = sum((totals.get(p, 0) for p in outcome), 0)
            if kept_welfare is None or welfare > kept_welfare:
                kept, kept_welfare = (outcome, last), welfare
        if len(outcome) == everything:
            break  # every supported project is funded: more money changes nothing
    if kept is None:  # pragma: no cover - MES at the starting budget never overspends
        raise TallyError("Equal shares overspent at the starting budget.")
    funded, per_voter = kept
    if explanations is not None:
        expl: dict[str, dict] = {}
        _run(support, per_voter, expl)
        for p, e in expl.items():
            if e.get("status") == "not_funded":
                e["per_voter_budget"] = money(per_voter)
            explanations[p] = e
    return funded, Fraction(int(per_voter.numerator), int(per_voter.denominator))
