"""export_cycle / import_cycle round-trip a whole cycle, verified by recount."""

import json

import pytest
from django.core.management import CommandError, call_command

from ballots import tallying
from ballots.models import Ballot, Cycle, Phase, VoterRecord
from ballots.services import ballot_cast, cycle_set_phase


def test_round_trip_with_ballots_verified_by_recount(vote_world, tmp_path, capsys):
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
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.RESULTS)
    path = tmp_path / "cycle.json"
    call_command("export_cycle", w["cycle"].slug, "-o", str(path))
    data = json.loads(path.read_text())
    assert len(data["ballots"]) == 5 and data["format"].startswith(
        "neighbourhood-budgets/cycle@"
    )
    call_command("import_cycle", str(path), "--slug", "restored")
    assert "the recount matches" in capsys.readouterr().out
    restored = Cycle.objects.get(slug="restored")
    assert Ballot.objects.filter(cycle=restored).count() == 5
    assert VoterRecord.objects.filter(cycle=restored).count() == 5
    new_section = restored.sections.get()
    assert sorted(tallying.count(new_section, restored.rules).selected) == sorted(
        new_section.tallies.get().result["selected"]
    )
    assert restored.rules == w["cycle"].rules and restored.phase == "results"


def test_bad_backups_restore_nothing(vote_world, tmp_path):
    w = vote_world
    path = tmp_path / "x.json"
    path.write_text('{"format": "something else"}')
    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("import_cycle", str(path))
    call_command("export_cycle", w["cycle"].slug, "-o", str(path))
    with pytest.raises(CommandError, match="already exists"):
        call_command("import_cycle", str(path))
    data = json.loads(path.read_text())
    data["cycle"]["place"] = "atlantis"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="not in this database: atlantis"):
        call_command("import_cycle", str(path), "--slug", "other")
    assert not Cycle.objects.filter(slug="other").exists()
