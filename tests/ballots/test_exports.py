"""Export files are built in the background and kept: closing the vote queues them,
a download serves the kept file and never reads the box, a download that finds none
queues one and says so (202), and a kept file that no longer matches is rebuilt."""

import pytest
from django.urls import reverse

from ballots import exports, tallying, tasks
from ballots.models import BallotExport, Phase
from ballots.services import ballot_cast, cycle_set_phase
from tests.ballots.test_counting import vote_all


@pytest.fixture
def closed(vote_world, django_capture_on_commit_callbacks, client):
    w = vote_world
    w["open"]()
    vote_all(w, [[0], [0, 1], [2]])
    with django_capture_on_commit_callbacks(execute=True):
        cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    client.force_login(w["officer"])
    w["url"] = reverse("ballots:export", args=[w["cycle"].slug, w["section"].pk, "pb"])
    return w


def test_closing_the_vote_builds_the_files_and_a_download_serves_them(
    closed, client, monkeypatch
):
    w = closed
    section = w["section"]
    export = BallotExport.objects.get(section=section)
    assert export.pb == tallying.pabulib_export(section, w["cycle"].rules)
    assert export.sha256 == tallying.sha256(export.pb)
    assert export.csv.splitlines()[0] == "ballot,section,choices,points"
    assert len(export.csv.splitlines()) == 4  # a header and three ballots

    def no_box_reads(*args, **kwargs):
        raise AssertionError("the download read the box")

    monkeypatch.setattr(tallying, "pabulib_export", no_box_reads)
    response = client.post(w["url"])
    assert response.status_code == 200
    assert response.content.decode() == export.pb
    csv = client.post(w["url"].replace(".pb", ".csv"))
    assert csv.status_code == 200 and csv.content.decode() == export.csv
    assert csv["Content-Disposition"] == (
        f'attachment; filename="{w["cycle"].slug}-{section.place.slug}.csv"'
    )


def test_a_download_with_no_file_yet_queues_one_and_says_so(
    closed, client, monkeypatch
):
    w = closed
    BallotExport.objects.all().delete()
    queued = []
    monkeypatch.setattr(
        tasks, "queue", lambda task, *args: queued.append((task.name, args))
    )
    response = client.post(w["url"])
    assert response.status_code == 202
    page = response.content.decode()
    assert "The export is being prepared" in page
    assert response["Retry-After"] == "3" and 'http-equiv="refresh"' not in page
    assert queued == [("ballots.tasks.build_export", (w["section"].pk,))]
    # A second look while it is on its way queues nothing more.
    assert client.post(w["url"]).status_code == 202
    assert len(queued) == 1
    # The worker builds it; the next look downloads it.
    assert tasks.build_export(w["section"].pk) is True
    response = client.post(w["url"])
    assert response.status_code == 200
    assert response.content.decode() == BallotExport.objects.get().pb


def test_without_a_broker_the_download_builds_the_file_there(closed, client):
    w = closed
    BallotExport.objects.all().delete()
    # Tasks run eagerly without a broker (make run, the tests): built in the request.
    response = client.post(w["url"])
    assert response.status_code == 200
    assert response.content.decode() == BallotExport.objects.get().pb


def test_a_file_that_no_longer_matches_is_rebuilt(closed, client):
    w = closed
    project = w["section"].projects.get(code=w["codes"][0])
    project.title = "A renamed project"
    project.save()
    stale = BallotExport.objects.get()
    assert "A renamed project" not in stale.pb
    assert exports.kept(w["section"], w["cycle"].rules) is None
    response = client.post(w["url"])
    assert response.status_code == 200
    assert "A renamed project" in response.content.decode()
    assert BallotExport.objects.get().key != stale.key


def test_the_published_result_hashes_the_kept_file(
    closed, django_capture_on_commit_callbacks
):
    w = closed
    with django_capture_on_commit_callbacks(execute=True):
        cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.RESULTS)
    tally = w["section"].tallies.get()
    assert tally.export_sha256 == BallotExport.objects.get().sha256
    tally.refresh_from_db()
    assert tally.recount["sha_ok"] is True


def test_the_ballot_csv_never_carries_a_formula(vote_world, client):
    """A place named like a spreadsheet command is written as text, in one place for
    every CSV the platform writes (civic/spreadsheets.py)."""
    from pathlib import Path

    from civic.models import Place

    w = vote_world
    Place.objects.filter(pk=w["hood"].pk).update(name="+cmd|' /C calc'!A0")
    w["open"]()
    ballot_cast(
        user=w["voters"][0],
        cycle=w["cycle"],
        choices={str(w["section"].pk): [w["codes"][0]]},
    )
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.RESULTS)
    text = client.get(
        reverse("ballots:export", args=[w["cycle"].slug, w["section"].pk, "csv"])
    ).content.decode()
    assert f"\r\n1,'+cmd|' /C calc'!A0,{w['codes'][0]},\r\n" in text
    assert ",+cmd" not in text
    # No other code writes CSV by hand (the .pb format is not a spreadsheet's).
    root = Path(__file__).resolve().parents[2]
    writers = sorted(
        str(p.relative_to(root))
        for folder in (
            "civic",
            "forums",
            "ballots",
            "accountability",
            "cms",
            "opendata",
        )
        for p in (root / folder).rglob("*.py")
        if "csv.writer(" in p.read_text() or "DictWriter(" in p.read_text()
    )
    assert writers == ["ballots/tally/pabulib.py", "civic/spreadsheets.py"]
