"""What the box announces (ballots/events.py) is sent once the transaction commits,
never for one rolled back, and a listener that fails is logged without touching the
change already stored."""

import logging

import pytest
from django.db import transaction

from ballots import events
from ballots.services import ballot_cast
from tests.ballots.conftest import _no_frozen_cache, vote_world  # noqa: F401


@pytest.fixture
def heard():
    calls = []

    def listener(sender, cycle_id, **kwargs):
        calls.append(cycle_id)

    events.ballots_cast.connect(listener)
    yield calls
    events.ballots_cast.disconnect(listener)


@pytest.mark.django_db
def test_sent_on_commit_and_never_for_a_rollback(
    heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            events.announce(events.ballots_cast, cycle_id=7)
            assert heard == []  # not before the commit
    assert heard == [7]
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                events.announce(events.ballots_cast, cycle_id=8)
                raise RuntimeError("rolled back")
    assert heard == [7]


def test_a_failing_listener_is_logged_and_the_ballot_stands(
    vote_world,  # noqa: F811
    caplog,
    django_capture_on_commit_callbacks,
):
    w = vote_world
    w["open"]()

    def broken(sender, **kwargs):
        raise ValueError("listener broke")

    events.ballots_cast.connect(broken)
    try:
        with caplog.at_level(logging.ERROR, logger="ballots.events"):
            with django_capture_on_commit_callbacks(execute=True):
                receipt = ballot_cast(
                    user=w["voters"][0],
                    cycle=w["cycle"],
                    choices={str(w["section"].pk): w["codes"][:1]},
                )
    finally:
        events.ballots_cast.disconnect(broken)
    assert receipt
    assert w["cycle"].voter_records.count() == 1
    assert any("listener broke" in r.getMessage() for r in caplog.records)
