"""import_pabulib: a real election becomes an archived, counted, recountable cycle."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from ballots.models import Ballot, Cycle, Tally
from civic.models import Place

DATA = Path(__file__).resolve().parents[1] / "tally" / "data"


def test_import_counts_like_pabutools_and_recounts(db, client):
    call_command("import_pabulib", str(DATA / "Netherlands_Assen_2024.pb"))
    cycle = Cycle.objects.get(archived=True)
    assert cycle.phase == "results" and Ballot.objects.filter(cycle=cycle).count() == 84
    ref = json.loads((DATA / "reference_outcomes.json").read_text())[
        "Netherlands_Assen_2024.pb"
    ]
    tally = Tally.objects.get(section__cycle=cycle)
    assert tally.result["selected"] == ref["mes_cost_add1+greedy_cost"]["selected"]
    page = client.get(reverse("ballots:recount", args=[cycle.slug])).content.decode()
    assert "The recount matches the published result." in page
    results = client.get(reverse("ballots:results", args=[cycle.slug]))
    assert results.status_code == 200
    # Euros stay euros, and the header counts the 84 ballots the file holds.
    assert cycle.currency == "EUR"
    text = results.content.decode()
    assert "€" in text and "£" not in text.split("<main")[1]
    assert 'id="turnout-cast">84<' in text
    detail = client.get(cycle.get_absolute_url()).content.decode()
    assert '<p class="big-number">84</p>' in detail


def test_import_of_ranked_ballots(db):
    call_command(
        "import_pabulib",
        str(DATA / "US_Stanford_Dataset_PB_Chicago_47th_Ward_2020_vote_rankings.pb"),
    )
    cycle = Cycle.objects.get(archived=True)
    assert cycle.frozen_rules["ballot_method"] == "ranked"
    assert Tally.objects.get(section__cycle=cycle).ballots_counted == 417


def test_malformed_file_imports_nothing(db, tmp_path):
    bad = tmp_path / "bad.pb"
    text = (DATA / "Netherlands_Assen_2024.pb").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    lines[-1] = (
        lines[-1].split(";")[0] + ";999"
    )  # the last vote names an unknown project
    bad.write_text("\n".join(lines))
    with pytest.raises(CommandError, match="unknown project '999'"):
        call_command("import_pabulib", str(bad))
    assert not Cycle.objects.exists() and not Place.objects.exists()


@pytest.mark.slow
def test_the_largest_file_imports_with_progress_and_recounts(db, client):
    """Łódź 2022 (90,494 voters), counted by equal shares with the £1 completion:
    progress is shown while it imports, and the recount page agrees."""
    import io

    from tests.tally.conftest import SHARED, require_shared

    require_shared()
    progress = io.StringIO()
    call_command(
        "import_pabulib",
        str(SHARED / "Poland_Lodz_2022.pb"),
        rule="equal_shares",
        stderr=progress,
        stdout=io.StringIO(),
    )
    shown = progress.getvalue()
    assert "read 90000 votes" in shown
    assert (
        "[##############################] 90494/90494 ballots stored and counted"
        in (shown)
    )
    cycle = Cycle.objects.get(archived=True)
    tally = Tally.objects.get(section__cycle=cycle)
    assert tally.rule == "mes-completion" and tally.ballots_counted == 90494
    page = client.get(reverse("ballots:recount", args=[cycle.slug])).content.decode()
    assert "The recount matches the published result." in page
