"""Time the tally engine against pabutools, and against the official equal-shares
tool's published times, on the same Pabulib files, in one run.

    .venv/bin/python bench/tally.py [--cut 60] [--rules mes,mes-completion] [FILE.pb ...]

Files default to Łódź 2022, Warszawa 2026, Kraków 2020 and Toulouse 2022 from
../shared/pabulib. For each file and rule it times our `run()` (median of --repeat
runs; parse excluded, building utilities included) and pabutools' rule in a separate
process, cut after --cut seconds, and checks the selections are identical (with
pabutools' own answer, or for cut runs with its answer computed once by
bench/pabutools_add1.py). It prints a table and writes it to bench/results/tally.json.

Rules: `mes` (no completion), `mes-add1` (pabutools' voter_budget_increment=1),
`mes-completion` (add1 then greedy: what cycles counted by equal shares use).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ballots.tally import Ballots, Election, Project, fast, pabulib, run  # noqa: E402

SHARED = Path(os.environ.get("NB_PABULIB_DIR") or ROOT.parent / "shared" / "pabulib")
RESULTS = ROOT / "bench" / "results"
DEFAULT_FILES = (
    "Poland_Lodz_2022.pb",
    "Poland_Warszawa_2026.pb",
    "Poland_Krakow_2020.pb",
    "France_Toulouse_2022.pb",
)
# Seconds, from the issue that set the targets (the official tool is JavaScript with
# floats, measured on this kind of machine); None where it gave no figure.
OFFICIAL = {
    ("Poland_Lodz_2022.pb", "mes"): 0.64,
    ("Poland_Warszawa_2026.pb", "mes"): 0.47,
    ("Poland_Lodz_2022.pb", "mes-completion"): 23.2,
    ("Poland_Warszawa_2026.pb", "mes-completion"): 30.8,
    ("France_Toulouse_2022.pb", "mes-add1"): 14.95,
}
TARGET = {
    ("Poland_Lodz_2022.pb", "mes"): 0.4,
    ("Poland_Warszawa_2026.pb", "mes"): 0.4,
    ("Poland_Lodz_2022.pb", "mes-completion"): 5.0,
    ("Poland_Warszawa_2026.pb", "mes-completion"): 5.0,
    ("France_Toulouse_2022.pb", "mes-add1"): 2.0,
}
SAT_TAG = {"approval": "cost", "choose-1": "cost", "cumulative": "cardinal"}
SAT_TAG["ordinal"] = "borda"
OUR_UTILITY = {"cost": "cost", "cardinal": "points", "borda": "borda"}


def _pabutools(path: str, rule: str, answer) -> None:
    """Child process: pabutools' rule on one file; puts (seconds, selection)."""
    from pabutools.election import (
        Additive_Borda_Sat,
        Additive_Cardinal_Sat,
        Cost_Sat,
        parse_pabulib,
    )
    from pabutools.rules import (
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )

    instance, profile = parse_pabulib(path)
    tag = SAT_TAG[instance.meta["vote_type"]]
    sat = {"cost": Cost_Sat, "cardinal": Additive_Cardinal_Sat}.get(
        tag, Additive_Borda_Sat
    )
    extra = {"is_sat_additive": True} if tag == "borda" else {}
    started = time.perf_counter()
    if rule == "mes":
        outcome = method_of_equal_shares(instance, profile, sat_class=sat)
    elif rule == "mes-add1":
        outcome = method_of_equal_shares(
            instance, profile, sat_class=sat, voter_budget_increment=1
        )
    else:
        outcome = completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [
                {"sat_class": sat, "voter_budget_increment": 1},
                {"sat_class": sat, **extra},
            ],
        )
    answer.put((time.perf_counter() - started, sorted(p.name for p in outcome)))


def pabutools(path: Path, rule: str, cut: float):
    """(seconds, selection), or (None, None) when cut."""
    answer = multiprocessing.Queue()
    child = multiprocessing.Process(target=_pabutools, args=(str(path), rule, answer))
    child.start()
    child.join(cut + 30)  # parsing is not timed, so allow for it
    if child.is_alive():
        child.kill()
        child.join()
        return None, None
    seconds, selection = answer.get()
    if seconds > cut:
        return None, None
    return seconds, selection


def reference(name: str, rule: str, tag: str):
    """pabutools' selection from the stored references, if it was ever computed."""
    key = {
        "mes": f"mes_{tag}",
        "mes-add1": f"mes_{tag}_add1",
        "mes-completion": f"mes_{tag}_add1+greedy_{tag}",
    }[rule]
    for source in (
        SHARED / "reference_outcomes.json",
        ROOT / "tests" / "tally" / "data" / "pabutools_add1.json",
    ):
        if source.exists():
            found = json.loads(source.read_text()).get(name, {}).get(key, {})
            if "selected" in found:
                return found["selected"]
    return None


def timed(fn, repeat):
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def seconds_text(value, cut=None):
    if value is None:
        return f"> {cut:g} s (cut)" if cut else "–"
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("files", nargs="*")
    ap.add_argument("--rules", default="mes,mes-add1,mes-completion")
    ap.add_argument("--repeat", type=int, default=3, help="runs of ours (median)")
    ap.add_argument("--cut", type=float, default=60, help="seconds for pabutools")
    ap.add_argument("--output", default=str(RESULTS / "tally.json"))
    args = ap.parse_args()
    files = [Path(f) for f in args.files] or [SHARED / f for f in DEFAULT_FILES]
    rows = []
    header = (
        f"{'file':26} {'rule':15} {'voters':>7} {'ours':>9} {'pabutools':>16} "
        f"{'× pabutools':>11} {'official':>9} {'target':>7}  same"
    )
    # The completion's compiled kernel (fast.py) is compiled once per install and then
    # loaded from numba's disk cache: both are timed here, apart from the counts.
    started = time.perf_counter()
    tiny = Election.build(
        [Project("A", 45), Project("B", 20)], 80, Ballots.approval([["A", "B"], ["A"]])
    )
    run(tiny, "mes-add1")
    warm_s = round(time.perf_counter() - started, 3)
    print(
        f"compiled kernel ready in {warm_s} s (numba "
        f"{'installed' if fast.available() else 'not installed: exact runs only'})"
    )
    print(header)
    for path in files:
        parsed = pabulib.read(path)
        election = parsed.election()
        tag = SAT_TAG.get(parsed.meta.get("vote_type", "approval"), "cost")
        for rule in args.rules.split(","):
            repeat = args.repeat if rule == "mes" else 1
            ours, outcome = timed(
                lambda r=rule: run(election, r, OUR_UTILITY[tag]), repeat
            )
            theirs, selection = pabutools(path, rule, args.cut)
            expected = (
                selection if selection is not None else reference(path.name, rule, tag)
            )
            same = None if expected is None else sorted(outcome.selected) == expected
            row = {
                "file": path.name,
                "rule": rule,
                "voters": election.ballots.voters,
                "projects": len(election.projects),
                "ours_s": round(ours, 4),
                "pabutools_s": None if theirs is None else round(theirs, 3),
                "pabutools_cut_s": args.cut if theirs is None else None,
                "speedup": None if theirs is None else round(theirs / ours, 1),
                "official_s": OFFICIAL.get((path.name, rule)),
                "target_s": TARGET.get((path.name, rule)),
                "same_as_pabutools": same,
                "compared_with": "pabutools now"
                if selection is not None
                else ("stored pabutools answer" if expected is not None else None),
            }
            rows.append(row)
            speedup = (
                f"{row['speedup']:.0f}×"
                if row["speedup"]
                else f"> {args.cut / ours:.0f}×"
            )
            print(
                f"{path.stem[:26]:26} {rule:15} {row['voters']:7} "
                f"{seconds_text(ours):>9} {seconds_text(theirs, args.cut):>16} "
                f"{speedup:>11} {seconds_text(row['official_s']):>9} "
                f"{seconds_text(row['target_s']):>7}  "
                f"{'–' if same is None else ('yes' if same else 'NO')}",
                flush=True,
            )
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(
        json.dumps(
            {
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                },
                "measured": time.strftime("%Y-%m-%d %H:%M"),
                "kernel_ready_s": warm_s,
                "rows": rows,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"written to {args.output}\n")
    print(markdown(rows))


def markdown(rows) -> str:
    """The README's table, from the rows just measured."""
    lines = [
        "| election | voters | rule | ours | pabutools 1.2.3 | official tool | target"
        " | same as pabutools |",
        "|---|---:|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        theirs = (
            seconds_text(r["pabutools_s"])
            if r["pabutools_s"] is not None
            else f"> {r['pabutools_cut_s']:g} s (cut)"
        )
        if r["speedup"]:
            theirs += f" ({r['speedup']:.0f}×)"
        same = {True: "yes", False: "**no**", None: "not known"}[r["same_as_pabutools"]]
        if r["compared_with"] == "stored pabutools answer":
            same += " (stored answer)"
        lines.append(
            f"| {Path(r['file']).stem} | {r['voters']:,} | {r['rule']} | "
            f"{seconds_text(r['ours_s'])} | {theirs} | "
            f"{seconds_text(r['official_s'])} | {seconds_text(r['target_s'])} | {same} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
