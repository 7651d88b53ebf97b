"""The engine selects exactly what pabutools 1.2.3 selects on real Pabulib elections."""

import json
from functools import cache

import pytest

from ballots.tally import pabulib, run

from .conftest import (
    HERE,
    SHARED,
    reference_cases,
    require_shared,
    shared_available,
)


@cache
def load(path):
    return pabulib.read(path).election()


LOCAL = json.loads((HERE / "data" / "reference_outcomes.json").read_text())


@pytest.mark.parametrize(
    "name,key,rule,utility,expected,seconds",
    list(reference_cases(LOCAL)),
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_fixture_files_match_pabutools(name, key, rule, utility, expected, seconds):
    """Copied small files: always run, even without ../shared."""
    outcome = run(load(HERE / "data" / name), rule, utility)
    assert sorted(outcome.selected) == expected


SHARED_CASES = (
    list(reference_cases(json.loads((SHARED / "reference_outcomes.json").read_text())))
    if shared_available()
    else []
)


@pytest.mark.parametrize(
    "name,key,rule,utility,expected,seconds",
    SHARED_CASES,
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_every_shared_file_matches_pabutools(
    name, key, rule, utility, expected, seconds
):
    """Every file in ../shared/pabulib, every rule pabutools finished on (the add1
    completions included: seconds each now, where pabutools took minutes)."""
    outcome = run(load(SHARED / name), rule, utility)
    assert sorted(outcome.selected) == expected


def test_shared_cases_cover_every_file():
    """Also the test that fails CI (NB_REQUIRE_PABULIB=1) if the elections are gone."""
    require_shared()
    files = {p.name for p in SHARED.glob("*.pb")}
    assert files == {case[0] for case in SHARED_CASES}


def test_a_required_but_missing_folder_fails_the_run(tmp_path):
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"{__file__}::test_shared_cases_cover_every_file",
        ],
        env={**os.environ, "NB_PABULIB_DIR": str(tmp_path), "NB_REQUIRE_PABULIB": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout
    assert f"the shared Pabulib elections are not at {tmp_path}" in result.stdout


# pabutools' add1 (and add1 then greedy) on the four files where the shared reference
# gave up after 45 s, computed once with bench/pabutools_add1.py (4 to 13 minutes each).
LARGE_ADD1 = json.loads((HERE / "data" / "pabutools_add1.json").read_text())


@pytest.mark.parametrize("name", sorted(LARGE_ADD1))
def test_add1_on_the_largest_files_matches_pabutools(name):
    """One count with the completion answers both: the projects equal shares funded
    are add1's outcome, and all the funded ones are add1 then greedy."""
    require_shared()
    cases = {
        key: (rule, utility, expected)
        for _n, key, rule, utility, expected, _s in (
            c for c in reference_cases(LARGE_ADD1) if c[0] == name
        )
    }
    (add1,) = [k for k in cases if k.endswith("_add1")]
    (filled,) = [k for k in cases if "+greedy" in k]
    rule, utility, expected = cases[filled]
    assert rule == "mes-completion"
    outcome = run(load(SHARED / name), rule, utility)
    assert sorted(outcome.selected) == expected
    by_equal_shares = [
        p
        for p in outcome.selected
        if outcome.explanations[p]["reason"] in ("equal_shares", "equal_shares_free")
    ]
    assert sorted(by_equal_shares) == cases[add1][2]
