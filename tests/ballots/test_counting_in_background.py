"""With a task queue, an officer's count (and the phase change that publishes a
result) runs in the worker: the page says so at once, a refusal is still said at
once, and the worker's run publishes the result. Without one (`make run`), both
happen in the request, as the other counting tests show."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from ballots import tasks
from ballots.models import Phase, Tally
from ballots.services import cycle_set_phase
from config.celery import app
from tests.ballots.test_counting import vote_all


@pytest.fixture
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(
        tasks, "queue", lambda task, *args: calls.append((task.name, args))
    )
    app.conf.task_always_eager = False
    yield calls
    app.conf.task_always_eager = True


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_closing_and_publishing_by_hand_run_in_the_worker(vote_world, client, queued):
    w = vote_world
    w["open"]()
    vote_all(w, [[0], [0, 1], [2]])
    client.force_login(w["officer"])
    url = reverse("ballots:phase", args=[w["cycle"].slug])
    response = client.post(url, {"phase": "counting", "confirm": "on"})
    assert response.status_code == 302
    assert said(response) == [
        "Voting is closing: every ballot is being mixed and counted in the "
        "background, usually within a minute. Reload this page."
    ]
    w["cycle"].refresh_from_db()
    assert w["cycle"].phase == Phase.VOTING and not Tally.objects.exists()
    assert queued == [
        ("ballots.tasks.change_phase", (w["cycle"].pk, "counting", w["officer"].pk))
    ]
    page = reverse("work:phase", args=[w["cycle"].slug])
    assert (
        "Closing the vote and counting every ballot: waiting for the task queue since"
        in client.get(page).content.decode()
    )
    # The worker closes the box and counts every budget: a draft.
    assert tasks.change_phase(w["cycle"].pk, "counting", w["officer"].pk) == "counting"
    assert (
        "Closing the vote and counting every ballot: done at"
        in client.get(page).content.decode()
    )
    draft = Tally.objects.get()
    assert draft.published is False and draft.ballots_counted == 3

    response = client.post(url, {"phase": "results", "confirm": "on"})
    assert said(response)[-1:] == [
        "Counting every ballot has started in the background. The result is "
        "published when the count is done, usually within a minute: reload this page."
    ]
    w["cycle"].refresh_from_db()
    assert w["cycle"].phase == Phase.COUNTING
    assert tasks.change_phase(w["cycle"].pk, "results", w["officer"].pk) == "results"
    w["cycle"].refresh_from_db()
    assert w["cycle"].phase == Phase.RESULTS
    # The count the officer saw is the one published.
    assert list(Tally.objects.values_list("pk", "published")) == [(draft.pk, True)]
    # A second click, run late, is refused by the worker and changes nothing.
    assert tasks.change_phase(w["cycle"].pk, "results", w["officer"].pk) == (
        "Phases only move forward; Results published cannot go back to Results "
        "published."
    )
    assert Tally.objects.count() == 1
    assert "Publishing the result: refused at" in client.get(page).content.decode()


def test_a_refused_move_is_said_at_once_and_nothing_is_queued(
    vote_world, client, queued
):
    w = vote_world
    client.force_login(w["officer"])
    response = client.post(
        reverse("ballots:phase", args=[w["cycle"].slug]),
        {"phase": "results", "confirm": "on"},
    )
    assert said(response) == [
        "A cycle in “Shortlisting” cannot move to “Results published”; next is "
        "Voting open."
    ]
    assert queued == []


def test_a_count_before_publishing_runs_in_the_worker(vote_world, client, queued):
    w = vote_world
    w["open"]()
    vote_all(w, [[1]])
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    assert Tally.objects.get().published is False  # closing counted once
    client.force_login(w["officer"])
    response = client.post(reverse("ballots:count", args=[w["cycle"].slug]))
    assert said(response) == [
        "Counting every ballot has started in the background; the result appears on "
        "this page when the count is done, usually within a minute."
    ]
    assert queued == [("ballots.tasks.count_cycle", (w["cycle"].pk, w["officer"].pk))]
    assert Tally.objects.count() == 1
    assert tasks.count_cycle(w["cycle"].pk, w["officer"].pk) == 1
    assert list(Tally.objects.values_list("published", flat=True)) == [False, False]
