"""Writes in ballots, one module per concern: phases and counting (`phases`), casting
and paper entry (`casting`). Each is atomic and audited; all are importable from
`ballots.services`."""

from ballots.models import PHASE_ORDER
from ballots.services.casting import (
    RECEIPT_ALPHABET,
    AlreadyRecorded,
    allowed_sections,
    ballot_cast,
    ballot_cast_with_code,
    eligibility_problems,
    new_receipt,
    normalise_receipt,
    paper_ballot_enter,
    receipt_check,
    receipt_hash,
    replace_hash,
    section_specs,
    voter_home,
)
from ballots.services.phases import (
    check_countable,
    cycle_count,
    cycle_refresh_phase,
    cycle_reopen_voting,
    cycle_set_phase,
    fence_waiver_record,
)
from ballots.validation import BallotInvalid, VotingError

__all__ = [
    "PHASE_ORDER",
    "RECEIPT_ALPHABET",
    "AlreadyRecorded",
    "BallotInvalid",
    "VotingError",
    "allowed_sections",
    "ballot_cast",
    "ballot_cast_with_code",
    "check_countable",
    "cycle_count",
    "cycle_refresh_phase",
    "cycle_reopen_voting",
    "cycle_set_phase",
    "fence_waiver_record",
    "eligibility_problems",
    "new_receipt",
    "normalise_receipt",
    "paper_ballot_enter",
    "receipt_check",
    "receipt_hash",
    "replace_hash",
    "section_specs",
    "voter_home",
]
