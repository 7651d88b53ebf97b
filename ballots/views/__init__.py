"""Cycle pages, one module per concern: the cycle and its results (`cycle`), voting
(`voting`), export and recount (`files`); paper ballots are entered in the back office."""

from ballots.views.common import _cycle
from ballots.views.cycle import (
    count,
    cycle_detail,
    cycle_phase,
    fence_waiver,
    reopen,
    results,
    statistics,
)
from ballots.views.files import export, recount
from ballots.views.voting import ballot_page, cast_json, receipt, vote

__all__ = [
    "_cycle",
    "ballot_page",
    "cast_json",
    "count",
    "cycle_detail",
    "cycle_phase",
    "export",
    "fence_waiver",
    "receipt",
    "recount",
    "reopen",
    "results",
    "statistics",
    "vote",
]
