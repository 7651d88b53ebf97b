"""Cycle pages, one module per concern: the cycle and its results (`cycle`), voting
(`voting`), paper ballots (`paper`), export and recount (`files`)."""

from ballots.views.common import _cycle, count_message, phase_message
from ballots.views.cycle import count, cycle_detail, cycle_phase, results, statistics
from ballots.views.files import export, recount
from ballots.views.paper import paper, paper_submit
from ballots.views.voting import ballot_page, cast_json, receipt, vote

__all__ = [
    "_cycle",
    "ballot_page",
    "cast_json",
    "count",
    "count_message",
    "cycle_detail",
    "cycle_phase",
    "export",
    "paper",
    "paper_submit",
    "phase_message",
    "receipt",
    "recount",
    "results",
    "statistics",
    "vote",
]
