"""What is in a cycle's ballot box for the tests: the mixed ballots and those still
sealed in the mixing buffer (opened here with the server's key)."""

from ballots import ballot_box
from ballots.models import Ballot


def ballots_in(cycle) -> list[dict]:
    """Every cast ballot's choices, mixed or waiting, in no particular order."""
    return [b.choices for b in Ballot.objects.filter(cycle=cycle)] + [
        opened["choices"] for _row, opened in ballot_box.waiting(cycle.pk)
    ]


def count(cycle) -> int:
    return len(ballots_in(cycle))
