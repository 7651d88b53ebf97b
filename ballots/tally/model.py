"""The engine's input: projects, a budget and ballots, grouped by identical ballot."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Rational

APPROVAL = "approval"
POINTS = "points"
RANKED = "ranked"
KINDS = (APPROVAL, POINTS, RANKED)


class TallyError(ValueError):
    """An election the engine cannot count, with a message a person can act on."""


@dataclass(frozen=True)
class Project:
    id: str
    cost: Rational
    category: str | None = None
    name: str = ""

    def __post_init__(self):
        if not isinstance(self.cost, Rational):
            raise TallyError(
                f"Project {self.id}: cost must be exact (int or Fraction)."
            )
        if self.cost < 0:
            raise TallyError(f"Project {self.id}: cost cannot be negative.")


# A ballot, hashable so identical ballots group together:
#   approval: frozenset of project ids
#   points:   tuple of (project id, points) pairs, sorted by id, points > 0
#   ranked:   tuple of project ids, most preferred first
Ballot = frozenset | tuple


@dataclass
class Ballots:
    """Ballots of one kind, counted: each distinct ballot with how many cast it."""

    kind: str
    counts: Counter = field(default_factory=Counter)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise TallyError(
                f"Unknown ballot kind {self.kind!r}; expected one of {KINDS}."
            )

    @classmethod
    def approval(cls, ballots: Iterable[Iterable[str]]) -> Ballots:
        return cls(APPROVAL, Counter(frozenset(b) for b in ballots))

    @classmethod
    def points(cls, ballots: Iterable[Mapping[str, int]]) -> Ballots:
        return cls(
            POINTS,
            Counter(tuple(sorted((p, v) for p, v in b.items() if v)) for b in ballots),
        )

    @classmethod
    def ranked(cls, ballots: Iterable[Iterable[str]]) -> Ballots:
        return cls(RANKED, Counter(tuple(b) for b in ballots))

    def add(self, ballot, count: int = 1) -> None:
        self.counts[ballot] += count

    @property
    def voters(self) -> int:
        """Every ballot cast, empty ones included: each voter holds an equal share."""
        return sum(self.counts.values())

    def projects_named(self) -> set[str]:
        named: set[str] = set()
        for ballot in self.counts:
            if self.kind == POINTS:
                named.update(p for p, _ in ballot)
            else:
                named.update(ballot)
        return named


@dataclass
class Election:
    projects: dict[str, Project]
    budget: Rational
    ballots: Ballots
    ring_fences: dict[str, Rational] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if not isinstance(self.budget, Rational) or self.budget < 0:
            raise TallyError("The budget must be an exact amount of £0 or more.")
        unknown = self.ballots.projects_named() - set(self.projects)
        if unknown:
            sample = ", ".join(sorted(unknown)[:5])
            raise TallyError(
                f"Ballots name projects that are not in the election: {sample}."
            )
        for category, minimum in self.ring_fences.items():
            if minimum < 0:
                raise TallyError(f"Ring-fence for {category} cannot be negative.")

    @classmethod
    def build(
        cls, projects: Iterable[Project], budget, ballots: Ballots, **kwargs
    ) -> Election:
        budget = budget if isinstance(budget, Rational) else Fraction(budget)
        return cls({p.id: p for p in projects}, budget, ballots, **kwargs)
