"""What happened to a vote, announced once its transaction commits.

The ballot box, casting and the phase changes say what happened here and know nothing
of who listens; live results (`ballots/live.py`) and the task queue (`ballots/tasks.py`)
connect to these signals when the app is ready. A listener's failure is logged and never
reaches the voter or officer whose change has already been stored.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger(__name__)

# cycle_id: ballots were cast, or a mixed batch joined the count.
ballots_cast = Signal()
# cycle_id: the cycle moved to another phase.
phase_changed = Signal()
# tally_id: a budget's result was published.
result_published = Signal()
# cycle_id: a resident supported a proposal or withdrew a support (supports phase).
supports_changed = Signal()


def _send(signal: Signal, kwargs: dict) -> None:
    for receiver, outcome in signal.send_robust(sender=None, **kwargs):
        if isinstance(outcome, Exception):
            log.error(
                "%s listener %s failed: %r",
                kwargs,
                getattr(receiver, "__qualname__", receiver),
                outcome,
                exc_info=outcome,
            )


def announce(signal: Signal, **kwargs) -> None:
    """Send `signal` once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(_send, signal, kwargs))
