"""Who supports what, grouped for the Method of Equal Shares: voters with identical
ballots are one group, and groups holding the same amount of money share a budget
class (see ballots/tally/mes.py)."""

from __future__ import annotations

from fractions import Fraction
from itertools import chain
from numbers import Rational
from operator import itemgetter

import numpy as np

try:  # exact rationals in C: the same numbers as Fraction, an order of magnitude faster
    from gmpy2 import mpq as Q
except ImportError:  # pragma: no cover - gmpy2 is a dependency; Fraction is exact too
    Q = Fraction

from .model import Project
from .profile import Profile


class _Support:
    """What does not change between runs: who supports each project, and how much."""

    def __init__(self, projects: dict[str, Project], profile: Profile):
        groups = [(w, utils) for w, utils in profile.groups if utils]
        self.groups = len(groups)
        gains_of = [u for _w, u in groups]
        weights = np.fromiter(map(itemgetter(0), groups), np.float64, len(groups))
        # One row per (group, project it gains from), projects and utilities as ids.
        sizes = np.fromiter(map(len, gains_of), np.intp, len(groups))
        names = list(chain.from_iterable(gains_of))
        ids = sorted(set(names))
        number = {p: i for i, p in enumerate(ids)}
        project = np.fromiter(map(number.__getitem__, names), np.intp, len(names))
        utilities = list(chain.from_iterable(map(dict.values, gains_of)))
        gain, gain_values = None, None
        if set(map(type, utilities)) <= {int}:
            # Whole-number utilities (votes, points, ranks, whole costs) are their ids.
            try:
                gain = np.array(utilities, dtype=np.int64)
            except OverflowError:
                gain = None
        if gain is None:  # costs in pence, or huge: number the distinct utilities
            # Keyed by numerator and denominator: hashing a Fraction costs more.
            gains: dict = {}
            values: list = []
            numbered = []
            for u in utilities:
                key = (u.numerator, u.denominator)
                i = gains.get(key)
                if i is None:
                    i = gains[key] = len(values)
                    values.append(u)
                numbered.append(i)
            gain = np.array(numbered, dtype=np.intp)
            gain_values = [Q(u) for u in values]
        group = np.repeat(np.arange(len(groups), dtype=np.intp), sizes)
        self._pairs = (group, project, ids)
        self._neighbours: dict[str, frozenset] | None = None
        order = np.argsort(project, kind="stable")
        edges = np.searchsorted(project[order], np.arange(len(ids) + 1))
        self.candidates: list[str] = []  # supported, costly: sorted by id
        self.free: list[str] = []  # supported projects that cost nothing
        self.cost: dict[str, Rational] = {}
        self.total_sat: dict[str, Rational] = {}
        self.uniform: dict[str, Rational | None] = {}  # every supporter's utility
        # p → (group indices, their weights, utility levels or None, level per group)
        self.of: dict[str, tuple] = {}
        for i, p in enumerate(ids):
            if p not in projects:
                continue
            if projects[p].cost <= 0:
                self.free.append(p)
                continue
            rows = order[edges[i] : edges[i + 1]]
            at, g = group[rows], gain[rows]
            w = weights[at]
            distinct, level = np.unique(g, return_inverse=True)
            distinct = (
                [Q(int(k)) for k in distinct]
                if gain_values is None
                else [gain_values[k] for k in distinct]
            )
            if len(distinct) == 1:
                # Approval ballots: every supporter gains the same, classes alone key.
                levels, level, self.uniform[p] = None, None, distinct[0]
                total = self.uniform[p] * int(w.sum())
            else:
                levels, self.uniform[p] = distinct, None
                voters = np.bincount(level, weights=w).astype(np.int64).tolist()
                total = sum(u * n for u, n in zip(levels, voters, strict=True))
                level = level.astype(np.intp)
            self.candidates.append(p)
            self.cost[p] = Q(projects[p].cost)
            self.total_sat[p] = total
            self.of[p] = (at, w, levels, level)

    @property
    def neighbours(self) -> dict[str, frozenset]:
        """For each project, the projects that share a supporter with it."""
        if self._neighbours is None:
            group, project, ids = self._pairs
            incidence = np.zeros((self.groups, len(ids)), dtype=np.float32)
            incidence[group, project] = 1
            shared = (incidence.T @ incidence) > 0
            self._neighbours = {
                p: frozenset(ids[j] for j in np.flatnonzero(shared[i]))
                for i, p in enumerate(ids)
            }
        return self._neighbours
