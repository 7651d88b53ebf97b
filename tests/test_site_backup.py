"""One command backs up the whole site, one restores it elsewhere (#33): a site with a
vote in progress (sealed ballots waiting) is backed up, restored into a new database
by another process, and there its audit chain verifies, the waiting ballots open with
the key, and the vote closes to the same count and recount as the original."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ballots import exports
from ballots.models import Phase, SealedBallot
from ballots.services import ballot_cast, cycle_set_phase
from civic import site_backup
from tests.ballots.conftest import _no_frozen_cache, vote_world  # noqa: F401 — shared fixtures

ROOT = Path(__file__).resolve().parents[1]

CLOSE_AND_COUNT = """
import django, json, sys
django.setup()
from ballots import exports, tallying
from ballots.models import Cycle, Phase, SealedBallot
from ballots.services import cycle_set_phase
from civic.models import User
cycle = Cycle.objects.get(slug=sys.argv[1])
officer = User.objects.get(pk=int(sys.argv[2]))
waiting = SealedBallot.objects.filter(cycle=cycle).count()
cycle_set_phase(actor=officer, cycle=cycle, phase=Phase.COUNTING)
cycle_set_phase(actor=officer, cycle=cycle, phase=Phase.RESULTS)
print(json.dumps({"waiting": waiting, "results": RESULTS(cycle)}))
"""


def results(cycle):
    """Each budget's published count and the recount of its published file."""
    out = {}
    for section in cycle.sections.all():
        tally = section.tallies.get(published=True)
        tally.section_cached = section  # as the results selector and the task do
        recount = exports.recount_published(tally, cycle.frozen_rules)
        out[str(section.budget_id)] = {
            "selected": sorted(tally.result["selected"]),
            "ballots": tally.ballots_counted,
            "recount": {k: recount[k] for k in ("selected", "spent", "sha_ok")},
        }
    return out


@pytest.fixture
def restored_database():
    """A new, empty database on the test's PostgreSQL server, dropped afterwards."""
    base = connection.settings_dict
    host, user = base["HOST"] or "127.0.0.1", base["USER"] or "postgres"
    name = f"nb_restore_{uuid.uuid4().hex[:8]}"

    def psql(sql):
        subprocess.run(
            ["psql", "-h", host, "-U", user, "-d", "postgres", "-qc", sql], check=True
        )

    psql(f"create database {name}")
    yield f"postgres://{user}@{host}:{base['PORT'] or 5432}/{name}"
    psql(f"drop database if exists {name} with (force)")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_restores_on_a_fresh_database(vote_world, tmp_path, restored_database):  # noqa: F811
    w = vote_world
    w["open"](tally_rule="equal_shares")
    section = str(w["section"].pk)
    for voter, picks in zip(
        w["voters"], [[0, 1], [1], [2, 3], [3], [0, 2]], strict=True
    ):
        ballot_cast(
            user=voter,
            cycle=w["cycle"],
            choices={section: [w["codes"][i] for i in picks]},
        )
    assert SealedBallot.objects.filter(cycle=w["cycle"]).count() == 5  # still sealed
    backup = tmp_path / "backup"
    call_command("backup_site", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    assert set(manifest["files"]) == {"database.dump", "media.tar.gz"}
    assert manifest["seal_key"]["included"] is False

    env = {
        **os.environ,
        "DATABASE_URL": restored_database,
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    manage = [sys.executable, "manage.py"]
    done = subprocess.run(
        [*manage, "restore_site", str(backup)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    audit = subprocess.run(
        [*manage, "verify_audit_log"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert audit.returncode == 0 and "Audit log intact" in audit.stdout, audit.stderr
    script = CLOSE_AND_COUNT.replace("RESULTS(cycle)", "results(cycle)")
    script = script.replace("print(json", _results_source() + "\nprint(json")
    closed = subprocess.run(
        [sys.executable, "-c", script, w["cycle"].slug, str(w["officer"].pk)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert closed.returncode == 0, closed.stderr
    there = json.loads(closed.stdout.strip().splitlines()[-1])

    # The original closes the same way.
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.RESULTS)
    w["cycle"].refresh_from_db()
    here = results(w["cycle"])
    assert there["waiting"] == 5
    assert there["results"] == here
    for budget in here.values():
        assert budget["ballots"] == 5 and budget["recount"]["sha_ok"]
        assert budget["recount"]["selected"] == budget["selected"] != []


def _results_source() -> str:
    import inspect

    return "from ballots import exports\n" + inspect.getsource(results)


@pytest.mark.django_db
def test_restore_checks_before_writing(tmp_path, settings):
    backup = tmp_path / "backup"
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("backup_site", str(backup))
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup_site", str(backup))
    # Restoring onto this very site: it already holds one.
    with pytest.raises(CommandError, match="already holds a site"):
        call_command("restore_site", str(backup))
    # Another seal key: refused before anything is written.
    settings.NB_BALLOT_SEAL_KEY = "not the original key"
    with pytest.raises(CommandError, match="not the key the backup's sealed ballots"):
        call_command("restore_site", str(backup))
    settings.NB_BALLOT_SEAL_KEY = ""
    # A damaged file.
    with (backup / "media.tar.gz").open("ab") as f:
        f.write(b"x")
    with pytest.raises(CommandError, match="media.tar.gz does not match its checksum"):
        call_command("restore_site", str(backup))
    with pytest.raises(CommandError, match="not a site backup"):
        call_command("restore_site", str(tmp_path))
    assert site_backup.key_fingerprint() and len(site_backup.key_fingerprint()) == 16
