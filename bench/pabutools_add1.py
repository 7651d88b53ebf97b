"""Compute pabutools 1.2.3's MES add1 outcome on the Pabulib files where the shared
reference (../shared/pabulib/reference_outcomes.json) gave up after 45 s, so that the
engine's completion can be checked on them too. Slow (minutes to an hour per file):
run it once and commit the JSON it writes.

    .venv/bin/python bench/pabutools_add1.py FILE.pb [...]  # → tests/tally/data/pabutools_add1.json
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from pabutools.election import (
    Additive_Borda_Sat,
    Additive_Cardinal_Sat,
    Cost_Sat,
    parse_pabulib,
)
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

OUT = Path(
    os.environ.get("NB_ADD1_OUT")
    or Path(__file__).resolve().parents[1]
    / "tests"
    / "tally"
    / "data"
    / "pabutools_add1.json"
)
SAT = {
    "approval": ("cost", Cost_Sat),
    "choose-1": ("cost", Cost_Sat),
    "cumulative": ("cardinal", Additive_Cardinal_Sat),
    "ordinal": ("borda", Additive_Borda_Sat),
}


def fill(results, path, instance, profile, tag, sat, outcome) -> None:
    """add1 then greedy (pabutools' completion_by_rule_combination): greedy started
    from the add1 outcome."""
    extra = {"is_sat_additive": True} if tag == "borda" else {}
    filled = greedy_utilitarian_welfare(
        instance, profile, sat_class=sat, initial_budget_allocation=outcome, **extra
    )
    results[path.name][f"mes_{tag}_add1+greedy_{tag}"] = {
        "selected": sorted(p.name for p in filled)
    }


def main(paths: list[str]) -> None:
    if paths and paths[0] == "--fill":
        # Add the greedy fill to add1 outcomes already computed.
        results = json.loads(OUT.read_text())
        for path in map(Path, paths[1:]):
            instance, profile = parse_pabulib(str(path))
            tag, sat = SAT[instance.meta["vote_type"]]
            chosen = set(results[path.name][f"mes_{tag}_add1"]["selected"])
            outcome = [p for p in instance if p.name in chosen]
            fill(results, path, instance, profile, tag, sat, outcome)
        OUT.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
        return
    results = json.loads(OUT.read_text()) if OUT.exists() else {}
    for path in map(Path, paths):
        instance, profile = parse_pabulib(str(path))
        tag, sat = SAT[instance.meta["vote_type"]]
        started = time.perf_counter()
        outcome = method_of_equal_shares(
            instance, profile, sat_class=sat, voter_budget_increment=1
        )
        seconds = time.perf_counter() - started
        results.setdefault(path.name, {})[f"mes_{tag}_add1"] = {
            "selected": sorted(p.name for p in outcome),
            "seconds": round(seconds, 1),
        }
        fill(results, path, instance, profile, tag, sat, outcome)
        OUT.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
        print(f"{path.name}: {len(outcome)} projects in {seconds:.0f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
