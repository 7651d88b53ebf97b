"""Participatory budgeting cycles, the secret ballot and its results, one module per
concern: cycles and what is on their ballots (`cycles`), voting codes (`codes`), the
ballot box (`box`: who voted and what was voted, apart, with no key between them; see
docs/the-secret-ballot.md) and what a count leaves (`results`). Everything is
importable from `ballots.models`."""

from .box import Ballot, BoxCount, Channel, SealedBallot, VoterRecord
from .codes import VotingCode, VotingCodeBatch
from .cycles import (
    BEFORE_VOTING,
    PHASE_ORDER,
    Cycle,
    CycleProject,
    FenceWaiver,
    Phase,
    PhaseChange,
    Section,
)
from .polling import OpeningTime, PollingPoint, PollOfficerShift, SpoiltPapers
from .results import BallotExport, Tally
from .supports import Support

__all__ = [
    "BEFORE_VOTING",
    "PHASE_ORDER",
    "Ballot",
    "BallotExport",
    "BoxCount",
    "Channel",
    "Cycle",
    "CycleProject",
    "FenceWaiver",
    "OpeningTime",
    "Phase",
    "PhaseChange",
    "PollOfficerShift",
    "PollingPoint",
    "SealedBallot",
    "Section",
    "SpoiltPapers",
    "Support",
    "Tally",
    "VoterRecord",
    "VotingCode",
    "VotingCodeBatch",
]
