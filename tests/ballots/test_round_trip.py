"""Ring-fences hold from the count to the published file and back: the tally CLI that
the recount page names applies the file's `ring_fences` line and gives the published
result, and importing the platform's own export gives the same budget, costs, fences
and result (amounts are written in pounds: no ×100)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from ballots import tallying
from ballots.importing import import_pabulib
from ballots.models import Phase, Tally
from ballots.services import cycle_set_phase
from ballots.tally import pabulib
from ballots.tally.rules import run
from tests.ballots.test_counting import vote_all

ROOT = Path(__file__).resolve().parents[2]

# P1 youth £10k, P2 green £20k, P3 youth £30k, P4 green £40k; £60k to spend. Youth is
# popular, so without the fence greedy funds P1, P3 and P2 (£20k of green); the fence
# asks for £40k of green.
BALLOTS = [[0, 2], [0, 2], [0, 2], [0, 1], [3]]


def _published(w, rule):
    w["open"](tally_rule=rule, ring_fences={"green": 40000_00}, max_choices=4)
    vote_all(w, BALLOTS)
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.RESULTS)
    w["cycle"].refresh_from_db()
    return Tally.objects.get(published=True)


@pytest.mark.parametrize("rule", ["greedy", "equal_shares"])
def test_the_cli_recounts_a_fenced_result_from_the_published_file(
    vote_world, client, tmp_path, rule
):
    w = vote_world
    tally = _published(w, rule)
    fence = tally.result["ring_fences"][0]
    assert (fence["category"], fence["met"]) == ("green", True)
    text = client.get(
        reverse("ballots:export", args=[w["cycle"].slug, w["section"].pk, "pb"])
    ).content.decode()
    assert "currency;GBP\n" in text and "ring_fences;green:40000\n" in text
    assert "budget;60000\n" in text
    path = tmp_path / "published.pb"
    path.write_text(text)

    # The command the recount page tells residents to run, as it is shown there.
    page = client.get(reverse("ballots:recount", args=[w["cycle"].slug]))
    command = tallying.cli_command(w["cycle"].rules, str(path))
    assert tallying.cli_command(w["cycle"].rules) in page.content.decode()
    done = subprocess.run(
        [sys.executable, "-m", *command.split()[2:]],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert sorted(json.loads(done.stdout)["selected"]) == sorted(
        tally.result["selected"]
    )
    # The fence is what made it: without it the same ballots fund something else.
    unfenced = run(
        pabulib.parse(text).election(ring_fences={}),
        tallying.RULE[rule],
        tallying.utility_for("approval", rule),
    )
    assert sorted(unfenced.selected) != sorted(tally.result["selected"])


def test_importing_the_platforms_own_export_is_the_identity(vote_world, client):
    w = vote_world
    tally = _published(w, "equal_shares")
    text = tallying.pabulib_export(w["section"], w["cycle"].rules)
    imported = import_pabulib(text, name="Round trip")
    section = imported.sections.get()
    assert section.budget_pence == w["section"].budget_pence
    assert sorted(
        section.projects.values_list("code", "cost_pence", "category_slug")
    ) == (
        sorted(w["section"].projects.values_list("code", "cost_pence", "category_slug"))
    )
    assert imported.rules["ring_fences"] == {"green": 40000_00}
    again = Tally.objects.get(section=section)
    assert sorted(again.result["selected"]) == sorted(tally.result["selected"])
    assert again.result["spent"] == tally.result["spent"]


def test_a_file_in_pence_from_before_is_still_read_as_pence(vote_world):
    """Files published before amounts were written in pounds say `GBP (pence)`."""
    w = vote_world
    tally = _published(w, "greedy")
    text = tallying.pabulib_export(w["section"], w["cycle"].rules)
    parsed = pabulib.parse(text)
    old = text.replace("currency;GBP\n", "currency;GBP (pence)\n")
    old = old.replace("budget;60000\n", "budget;6000000\n")
    old = old.replace("ring_fences;green:40000\n", "ring_fences;green:4000000\n")
    for row in parsed.projects:
        old = old.replace(
            f"\n{row['project_id']};{row['cost']};",
            f"\n{row['project_id']};{int(row['cost']) * 100};",
        )
    imported = import_pabulib(old, name="Old file")
    assert imported.sections.get().budget_pence == 60000_00
    assert imported.rules["ring_fences"] == {"green": 40000_00}
    again = Tally.objects.get(section__cycle=imported)
    assert sorted(again.result["selected"]) == sorted(tally.result["selected"])
