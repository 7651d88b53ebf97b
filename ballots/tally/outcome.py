"""The engine's output: what was funded, the support each project had, and why."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Rational


def money(value: Rational) -> str:
    """An exact amount as text: '1200', '2228141.75', or 'p/q' when no decimal is exact."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    d, twos, fives = value.denominator, 0, 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    scaled = value * 10**places
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled.numerator)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


@dataclass
class Outcome:
    rule: str
    utility: str
    budget: Rational
    selected: list[str]  # in the order they were funded
    support: dict[str, Rational]  # approvals, points or rank score per project
    supporters: dict[str, int]  # how many voters named each project
    explanations: dict[str, dict] = field(default_factory=dict)
    ring_fences: list[dict] = field(default_factory=list)
    voters: int = 0
    costs: dict[str, Rational] = field(default_factory=dict)

    @property
    def spent(self) -> Rational:
        return sum((self.costs[p] for p in self.selected), Fraction(0))

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "utility": self.utility,
            "selected": sorted(self.selected),
            "funding_order": list(self.selected),
            "spent": money(self.spent),
            "budget": money(self.budget),
            "voters": self.voters,
            "support": {p: money(v) for p, v in sorted(self.support.items())},
            "supporters": dict(sorted(self.supporters.items())),
            "explanations": {
                p: self.explanations[p] for p in sorted(self.explanations)
            },
            "ring_fences": self.ring_fences,
        }

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.as_dict(), **kwargs)
