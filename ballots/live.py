"""Live results hooks, called after commit. Filled in by the live-results module."""


def ballot_cast(cycle_id: int) -> None:
    return None


def phase_changed(cycle_id: int) -> None:
    return None
