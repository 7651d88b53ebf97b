"""With a task queue, an officer's count (and the phase change that publishes a
result) runs in the worker: the page says so at once, a refusal is still said at
once, and the worker's run publishes the result. Without one (`make run`), both
happen in the request, as the other counting tests show."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from ballots import tasks
from ballots.models import Phase, Tally
from ballots.services import cycle_set_phase, phases
from config.celery import app
from tests.ballots.test_counting import vote_all


@pytest.fixture
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(
        phases, "queue", lambda task, *args: calls.append((task.name, args))
    )
    app.conf.task_always_eager = False
    yield calls
    app.conf.task_always_eager = True


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_publishing_by_hand_counts_in_the_worker(vote_world, client, queued):
    w = vote_world
    w["open"]()
    vote_all(w, [[0], [0, 1], [2]])
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    client.force_login(w["officer"])
    response = client.post(
        reverse("ballots:phase", args=[w["cycle"].slug]), {"phase": "results"}
    )
    assert response.status_code == 302
    assert said(response) == [
        "Counting every ballot has started in the background. The result is "
        "published when the count is done, usually within a minute: reload this page."
    ]
    w["cycle"].refresh_from_db()
    assert w["cycle"].phase == Phase.COUNTING and not Tally.objects.exists()
    assert queued == [
        ("ballots.tasks.change_phase", (w["cycle"].pk, "results", w["officer"].pk))
    ]
    # The worker's run.
    assert tasks.change_phase(w["cycle"].pk, "results", w["officer"].pk) == "results"
    w["cycle"].refresh_from_db()
    assert w["cycle"].phase == Phase.RESULTS
    assert Tally.objects.get().published is True
    # A second click, run late, is refused by the worker and changes nothing.
    assert tasks.change_phase(w["cycle"].pk, "results", w["officer"].pk) == (
        "Phases only move forward; Results published cannot go back to Results "
        "published."
    )
    assert Tally.objects.count() == 1


def test_a_refused_move_is_said_at_once_and_nothing_is_queued(
    vote_world, client, queued
):
    w = vote_world
    client.force_login(w["officer"])
    response = client.post(
        reverse("ballots:phase", args=[w["cycle"].slug]), {"phase": "results"}
    )
    assert said(response) == ["Voting must open before it can close."]
    assert queued == []


def test_a_count_before_publishing_runs_in_the_worker(vote_world, client, queued):
    w = vote_world
    w["open"]()
    vote_all(w, [[1]])
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    client.force_login(w["officer"])
    response = client.post(reverse("ballots:count", args=[w["cycle"].slug]))
    assert said(response) == [
        "Counting every ballot has started in the background; the result appears on "
        "this page when the count is done, usually within a minute."
    ]
    assert queued == [("ballots.tasks.count_cycle", (w["cycle"].pk, w["officer"].pk))]
    assert not Tally.objects.exists()
    assert tasks.count_cycle(w["cycle"].pk, w["officer"].pk) == 1
    assert Tally.objects.get().published is False
