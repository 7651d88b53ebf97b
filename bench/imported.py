"""Import the largest Pabulib file as a cycle and time its results and recount pages.

    .venv/bin/python bench/imported.py [FILE.pb] [--rule equal_shares|greedy]

Uses a fresh SQLite database in a temporary folder unless DATABASE_URL is set (then
that database: give it an empty one). Imports the file (default Łódź 2022, 90,494
voters) with `import_pabulib`, counting it with --rule (default equal_shares: MES with
£1 completion, then greedy), and times, through Django's test client, the results page
and the recount page, a first view and a second one. Publishing queues the recount of
the published file (`ballots.tasks.recount_tally`, run inline without a broker), so the
recount page reads it; the task is timed on its own too. Writes bench/results/imported.json and prints a table.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NB_PABULIB_DIR") or ROOT.parent / "shared" / "pabulib")


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("file", nargs="?", default=str(SHARED / "Poland_Lodz_2022.pb"))
    ap.add_argument(
        "--rule", default="equal_shares", choices=("equal_shares", "greedy")
    )
    ap.add_argument(
        "--output", default=str(ROOT / "bench" / "results" / "imported.json")
    )
    args = ap.parse_args()
    folder = tempfile.mkdtemp(prefix="nb-imported-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/db.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from ballots.models import Cycle, Tally
    from ballots.tasks import recount_tally

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    progress = io.StringIO()
    call_command(
        "import_pabulib",
        args.file,
        rule=args.rule,
        stderr=progress,
        stdout=io.StringIO(),
    )
    imported = time.perf_counter() - started
    cycle = Cycle.objects.get(archived=True)
    client = Client()
    timings = {"import_s": round(imported, 2)}
    # Publishing queued the recount of the published file (run inline here: no
    # broker); it is timed again on its own, as a worker would run it.
    tally = Tally.objects.get(section__cycle=cycle, published=True)
    assert tally.recount and tally.recount["sha_ok"], "the import did not recount"
    Tally.objects.filter(pk=tally.pk).update(recount=None)
    started = time.perf_counter()
    recount_tally(tally.pk)
    timings["recount_task_s"] = round(time.perf_counter() - started, 3)
    for name, path in (
        ("results_first_s", "results/"),
        ("recount_first_s", "recount/"),
        ("results_again_s", "results/"),
        ("recount_again_s", "recount/"),
    ):
        started = time.perf_counter()
        page = client.get(f"/cycles/{cycle.slug}/{path}")
        timings[name] = round(time.perf_counter() - started, 3)
        assert page.status_code == 200, (path, page.status_code)
        if path == "recount/":
            assert "The recount matches the published result." in page.content.decode()
    result = {
        "file": Path(args.file).name,
        "rule": args.rule,
        "ballots": cycle.ballots.count(),
        "database": os.environ["DATABASE_URL"].split(":")[0],
        "progress_shown": "ballots stored and counted" in progress.getvalue(),
        **timings,
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(result, indent=1) + "\n")
    for key, value in result.items():
        print(f"{key:18} {value}")


if __name__ == "__main__":
    main()
