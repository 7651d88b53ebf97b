"""The tally engine: no Django (ruff's banned-api rule and a test enforce it); numpy and
gmpy2 for speed.

Input is an `Election` (projects with costs and categories, a budget, ballots); output
an `Outcome` with the selected projects, per-project support and a machine-readable
explanation for every project. Money is exact (`int` or `fractions.Fraction`), so no
result ever depends on float rounding.
"""

from .model import Ballots, Election, Project
from .outcome import Outcome
from .rules import RULES, UTILITIES, collector_paused, run

__all__ = [
    "Ballots",
    "Election",
    "Outcome",
    "Project",
    "RULES",
    "UTILITIES",
    "collector_paused",
    "run",
]
