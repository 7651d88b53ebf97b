"""Time the tally engine against pabutools on the same Pabulib files, in one run.

    .venv/bin/python bench/tally.py [--rules greedy,mes] [--utility cost] [FILE.pb ...]

Files default to every .pb in ../shared/pabulib. For each file and rule it times our
`run()` and pabutools' rule call (both excluding parsing, both including building their
satisfaction/utility profile), checks the selected sets are identical, and prints the
ratio. Targets (README): MES ≥ 10× and greedy ≥ 20× faster on the largest file.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ballots.tally import pabulib, run  # noqa: E402

SHARED = ROOT.parent / "shared" / "pabulib"


def pabutools_call(rule, utility, vote_type):
    from pabutools.election import (
        Additive_Borda_Sat,
        Additive_Cardinal_Sat,
        Cardinality_Sat,
        Cost_Sat,
    )
    from pabutools.rules import (
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )

    if vote_type in ("approval", "choose-1"):
        sat = Cost_Sat if utility == "cost" else Cardinality_Sat
    elif vote_type == "cumulative":
        sat = Additive_Cardinal_Sat
    else:
        sat = Additive_Borda_Sat
    extra = {"is_sat_additive": True} if vote_type == "ordinal" else {}
    if rule == "greedy":
        return lambda i, p: greedy_utilitarian_welfare(i, p, sat_class=sat, **extra)
    if rule == "mes":
        return lambda i, p: method_of_equal_shares(i, p, sat_class=sat)
    if rule == "mes+greedy":
        return lambda i, p: completion_by_rule_combination(
            i,
            p,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": sat}, {"sat_class": sat, **extra}],
        )
    raise SystemExit(f"unsupported rule for the benchmark: {rule}")


def our_utility(utility, vote_type):
    if vote_type in ("approval", "choose-1"):
        return utility
    return "points" if vote_type == "cumulative" else "borda"


def timed(fn, repeat):
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("files", nargs="*")
    ap.add_argument("--rules", default="greedy,mes")
    ap.add_argument("--utility", default="cost", choices=("cost", "cardinality"))
    ap.add_argument("--repeat", type=int, default=3, help="runs of our engine (median)")
    args = ap.parse_args()
    from pabutools.election import parse_pabulib

    files = [Path(f) for f in args.files] or sorted(
        SHARED.glob("*.pb"), key=lambda p: p.stat().st_size
    )
    print(
        f"{'file':42} {'rule':11} {'voters':>7} {'ours s':>8} {'pabutools s':>12} {'ratio':>7}  same"
    )
    for path in files:
        pb = pabulib.read(path)
        election = pb.election()
        instance, profile = parse_pabulib(str(path))
        vote_type = instance.meta["vote_type"]
        for rule in args.rules.split(","):
            ours_s, outcome = timed(
                lambda r=rule: run(election, r, our_utility(args.utility, vote_type)),
                args.repeat,
            )
            call = pabutools_call(rule, args.utility, vote_type)
            t = time.perf_counter()
            theirs = call(instance, profile)
            theirs_s = time.perf_counter() - t
            same = sorted(outcome.selected) == sorted(p.name for p in theirs)
            print(
                f"{path.name[:42]:42} {rule:11} {election.ballots.voters:7} {ours_s:8.3f} "
                f"{theirs_s:12.3f} {theirs_s / ours_s:6.1f}x  {'yes' if same else 'NO'}",
                flush=True,
            )


if __name__ == "__main__":
    main()
