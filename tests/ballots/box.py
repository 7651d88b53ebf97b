"""What is in a cycle's ballot box for the tests: the mixed ballots and those still
sealed in the mixing buffer (opened with the server's key)."""

from ballots import ballot_box


def ballots_in(cycle) -> list[dict]:
    """Every cast ballot's choices, mixed or waiting, in no particular order."""
    return [b["choices"] for b in ballot_box.contents(cycle.pk)]


def count(cycle) -> int:
    return len(ballots_in(cycle))
