"""python -m ballots.tally FILE.pb --rule greedy|mes|mes-completion [--utility …] [--max-rank N] [--format json|text]

Counts a Pabulib file with the engine alone: no Django, no database.
"""

from __future__ import annotations

import argparse
import json
import sys

from .model import TallyError
from .outcome import money
from .pabulib import read
from .profile import UTILITIES
from .rules import RULES, run


def explain(pid: str, e: dict) -> str:
    reason = e.get("reason")
    if reason == "greedy":
        return f"funded: ranked {e['rank']} by support per cost"
    if reason == "completion":
        return "funded with money left over after equal shares"
    if reason == "equal_shares":
        return f"funded in round {e['round']} of equal shares"
    if reason == "ring_fence":
        return f"funded to meet the ring-fence for {e['category']}"
    if reason == "not_affordable":
        after = f" after {e['after'][0]} was funded" if e.get("after") else ""
        return f"not funded: cost {e['cost']} did not fit the {e['remaining_budget']} left{after}"
    if reason == "outbid":
        return (
            f"not funded: outbid under equal shares; its supporters' remaining money was "
            f"{e['supporters_money']}, less than its cost {e['cost']}"
        )
    if reason == "no_support":
        return "not funded: nobody supported it"
    return reason or ""


def main(argv=None) -> int:
    all_utilities = sorted({u for us in UTILITIES.values() for u in us})
    parser = argparse.ArgumentParser(
        prog="python -m ballots.tally", description=__doc__
    )
    parser.add_argument("file")
    parser.add_argument("--rule", choices=RULES, default="greedy")
    parser.add_argument("--utility", choices=all_utilities)
    parser.add_argument("--format", choices=("json", "text"), default="json")
    parser.add_argument(
        "--max-rank",
        type=int,
        help="ranked ballots: the ranks that score (the cycle's 'max_ranked' rule)",
    )
    parser.add_argument(
        "--full", action="store_true", help="JSON: include support and explanations"
    )
    args = parser.parse_args(argv)
    try:
        pb = read(args.file)
        # The file's own ring-fences (META ring_fences) apply, and its amounts are
        # read as they are (the platform writes pounds: completion steps £1).
        outcome = run(pb.election(), args.rule, args.utility, max_rank=args.max_rank)
    except (OSError, TallyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.format == "json":
        data = outcome.as_dict()
        if not args.full:
            data = {k: data[k] for k in ("rule", "selected", "spent", "budget")}
        print(json.dumps(data, indent=None if not args.full else 1))
        return 0
    print(f"{pb.meta.get('description', args.file)}")
    print(f"rule {outcome.rule} ({outcome.utility} utility), {outcome.voters} voters")
    print(f"budget {money(outcome.budget)}, spent {money(outcome.spent)}")
    for pid in outcome.selected:
        print(
            f"  + {pid:>12}  {money(outcome.costs[pid]):>12}  {explain(pid, outcome.explanations[pid])}"
        )
    for pid in sorted(set(outcome.costs) - set(outcome.selected)):
        print(
            f"  - {pid:>12}  {money(outcome.costs[pid]):>12}  {explain(pid, outcome.explanations[pid])}"
        )
    for fence in outcome.ring_fences:
        state = "met" if fence["met"] else "NOT met"
        print(
            f"ring-fence {fence['category']}: minimum {fence['minimum']}, spent {fence['spent']} ({state})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
