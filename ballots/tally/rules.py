"""Running a rule on an election, with ring-fenced minimum spends.

Rules (names used by the CLI and the app):
  greedy                greedy utilitarian (see greedy.py)
  mes                   Method of Equal Shares, no completion
  mes-add1              MES with the per-voter budget raised by `increment` (default one
                        unit of currency: pabutools' voter_budget_increment=1, "add1")
                        until the outcome is exhaustive (kept) or would overspend (the
                        one before is kept)
  mes-add1-overspend    the same without the exhaustive stop: raised until the outcome
                        would overspend, the last one that does not is kept (pabutools'
                        exhaustion_by_budget_increase with exhaustive_stop=False)
  mes-add1-utilitarian  raised until the outcome would overspend; of all the outcomes
                        that did not, the one with the greatest total utility is kept
                        (the first of equals)
  any MES rule + "+greedy"  then greedy fills what is left (pabutools' rule combination)
  mes-completion        mes-add1+greedy: what cycles counted by equal shares use

Ring-fences (a minimum spend per category), applied before the main rule:
  for each fenced category in order of its name, the rule is run on that category's
  projects alone, with all the money still unspent; its projects are funded in the order
  the rule funds them until the category's spend reaches the minimum (projects that no
  longer fit are skipped). If that order runs out short, the cheapest remaining
  supported projects of the category that fit are added until the minimum is met. If it
  still is not met, the ring-fence is reported as not met, with what was spent and why.
  The main rule then runs on the remaining projects with the remaining money.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from fractions import Fraction
from numbers import Rational

from .completion import equal_shares_add1
from .greedy import greedy
from .mes import equal_shares
from .model import POINTS, Election, TallyError
from .outcome import Outcome, money
from .profile import DEFAULT_UTILITY, UTILITIES, Profile, build_profile

# MES rule → the completion's stop (completion.COMPLETIONS), None for plain MES.
EQUAL_SHARES = {
    "mes": None,
    "mes-add1": "exhaustive",
    "mes-add1-overspend": "overspend",
    "mes-add1-utilitarian": "utilitarian",
}
ALIASES = {"mes-completion": "mes-add1+greedy"}
RULES = (
    "greedy",
    *(f"{r}{fill}" for r in EQUAL_SHARES for fill in ("", "+greedy")),
    *ALIASES,
)


def _select(rule, projects, budget, profile, explanations, increment) -> list[str]:
    if rule == "greedy":
        return greedy(projects, budget, profile, explanations=explanations)
    base = ALIASES.get(rule, rule).removesuffix("+greedy")
    if base not in EQUAL_SHARES:
        raise TallyError(f"Unknown rule {rule!r}; expected one of {', '.join(RULES)}.")
    if EQUAL_SHARES[base] is None:
        funded = equal_shares(projects, budget, profile, explanations=explanations)
    else:
        funded, _ = equal_shares_add1(
            projects,
            budget,
            profile,
            increment=increment,
            stop=EQUAL_SHARES[base],
            explanations=explanations,
        )
    if ALIASES.get(rule, rule).endswith("+greedy"):
        funded += greedy(
            projects,
            budget,
            profile,
            already=funded,
            explanations=explanations,
            reason="completion",
        )
    return funded


def _ring_fence_phase(election, profile, rule, increment, explanations, support):
    funded: list[str] = []
    reports: list[dict] = []
    spent = Fraction(0)
    for category, minimum in sorted(election.ring_fences.items()):
        in_category = {
            pid: p
            for pid, p in election.projects.items()
            if p.category == category and pid not in funded
        }
        remaining = election.budget - spent
        sub_expl: dict[str, dict] = {}
        order = _select(
            rule,
            in_category,
            remaining,
            profile.restricted(set(in_category)),
            sub_expl,
            increment,
        )
        category_spend = Fraction(0)
        chosen: list[str] = []
        # The rule's own order first, then the cheapest remaining supported projects.
        fallback = sorted(in_category, key=lambda q: (in_category[q].cost, q))
        for pid in [*order, *fallback]:
            if category_spend >= minimum:
                break
            cost = in_category[pid].cost
            if pid not in chosen and support.get(pid, 0) > 0 and cost <= remaining:
                chosen.append(pid)
                category_spend += cost
                remaining -= cost
        met = category_spend >= minimum
        for pid in chosen:
            explanations[pid] = {
                "status": "funded",
                "reason": "ring_fence",
                "category": category,
            }
        funded += chosen
        spent += category_spend
        reports.append(
            {
                "category": category,
                "minimum": money(minimum),
                "spent": money(category_spend),
                "met": met,
                "projects": chosen,
                **(
                    {}
                    if met
                    else {
                        "why": "not enough supported projects in this category fit the budget"
                        if in_category
                        else "no projects in this category were on the ballot"
                    }
                ),
            }
        )
    return funded, reports


@contextmanager
def collector_paused():
    """The count allocates many small containers and no cycles: the cyclic garbage
    collector's passes over them are pure overhead (a third of the time on a
    60,000-voter election), so it waits until the count is done."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@collector_paused()
def run(
    election: Election,
    rule: str = "greedy",
    utility: str | None = None,
    *,
    increment: Rational = 1,
    max_rank: int | None = None,
) -> Outcome:
    """Count `election` with `rule`; see the module docstring for the rules."""
    if rule not in RULES:
        raise TallyError(f"Unknown rule {rule!r}; expected one of {', '.join(RULES)}.")
    kind = election.ballots.kind
    utility = utility or DEFAULT_UTILITY[kind]
    if utility not in UTILITIES[kind]:
        raise TallyError(
            f"Utility {utility!r} does not apply to {kind} ballots; use one of {UTILITIES[kind]}."
        )
    profile: Profile = build_profile(election, utility, max_rank=max_rank)
    explanations: dict[str, dict] = {}
    supporters = profile.supporters()
    funded, reports = _ring_fence_phase(
        election, profile, rule, increment, explanations, supporters
    )
    fenced_cost = sum((election.projects[p].cost for p in funded), Fraction(0))
    rest = {pid: p for pid, p in election.projects.items() if pid not in set(funded)}
    funded += _select(
        rule,
        rest,
        election.budget - fenced_cost,
        profile.restricted(set(rest)) if funded else profile,
        explanations,
        increment,
    )
    for pid in election.projects:
        explanations.setdefault(pid, {"status": "not_funded", "reason": "no_support"})
    if kind == POINTS:
        raw = build_profile(election, "points").total_utility()
    elif kind == "approval":
        raw = supporters
    else:
        raw = profile.total_utility()
    return Outcome(
        rule=rule,
        utility=utility,
        budget=election.budget,
        selected=funded,
        support={pid: raw.get(pid, 0) for pid in election.projects},
        supporters={pid: supporters.get(pid, 0) for pid in election.projects},
        explanations=explanations,
        ring_fences=reports,
        voters=election.ballots.voters,
        costs={pid: p.cost for pid, p in election.projects.items()},
    )
