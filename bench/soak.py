"""A soak of casting: 20,000 ballots over HTTP at 50 clients, on `make serve`'s shape,
with the task queue's worker mixing the box as it goes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/soak.py [--voters 20000] [--clients 50]

Prepares database `bench` as bench/cast.py does (a neighbourhood with an open approval
vote, every voter signed in beforehand), serves it with gunicorn (2 workers x 16
threads, psycopg pool, Redis) beside a Celery worker with its scheduler, and drives
back-to-back ballots from a Node event loop (bench/load/http.mjs), every ballot a
different voter, until every voter has voted. Reports requests, errors and p50/p99
for each minute of the run; then, once the worker is done, checks that the register,
the box (with what still waits sealed, less than a batch) and the box's counts agree
exactly. Target: no request failed, p99 under 1 s in every minute. Writes
bench/results/soak.json.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.cast import bench_database, bench_env, node, serve, setup  # noqa: E402
from deploy.serve import free_port  # noqa: E402


def worker(db_url, redis_url):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--beat"]
        + ["--concurrency", "1", "--loglevel", "WARNING", "--without-gossip"]
        + ["--without-mingle", "--schedule", "/tmp/nb-soak-beat"],
        cwd=ROOT,
        env=bench_env(db_url, redis_url, CELERY_EAGER="0"),
    )


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--voters", type=int, default=20_000)
    ap.add_argument("--clients", type=int, default=50)
    args = ap.parse_args()
    db_url, redis_url = bench_database()
    os.environ["REDIS_URL"] = redis_url
    os.environ["CELERY_EAGER"] = "0"
    started = time.perf_counter()
    slug, section, codes, sessions = setup(db_url, args.voters)
    print(f"{len(sessions)} voters ready in {time.perf_counter() - started:.0f} s")
    port = free_port()
    server = serve(port, db_url, redis_url)
    celery = worker(db_url, redis_url)
    try:
        body = json.dumps({"choices": {str(section): codes[:2]}})
        run = node(
            "http.mjs",
            {
                "port": port,
                "path": f"/cycles/{slug}/ballot.json",
                "body": body,
                "sessions": sessions,
                "concurrency": args.clients,
                "seconds": 3600,
                "minutes": True,
            },
        )
        time.sleep(15)  # the worker's last mixing and broadcast
    finally:
        server.send_signal(signal.SIGTERM)
        celery.send_signal(signal.SIGTERM)
        server.wait(30)
        celery.wait(60)
    from django.db.models import Sum

    from ballots import ballot_box
    from ballots.models import Ballot, BoxCount, Cycle, SealedBallot, VoterRecord

    cycle = Cycle.objects.get(slug=slug)
    register = VoterRecord.objects.filter(cycle=cycle).count()
    in_box = Ballot.objects.filter(cycle=cycle).count()
    sealed = SealedBallot.objects.filter(cycle=cycle).count()
    counted = (
        BoxCount.objects.filter(cycle=cycle, section_id=section).aggregate(
            n=Sum("ballots")
        )["n"]
        or 0
    )
    agree = (
        register == run["n"] - run["errors"]
        and register == in_box + sealed
        and counted == in_box
        and sealed < ballot_box.MIX_BATCH
    )
    result = {
        "voters": args.voters,
        "clients": args.clients,
        "server": "gunicorn 2 workers x 16 threads, psycopg pool, Redis; a Celery "
        "worker with its scheduler mixing the box",
        "load": "Node event loop (bench/load/http.mjs)",
        "requests": run["n"],
        "errors": run["errors"],
        "seconds": round(run["seconds"], 1),
        "ballots_per_s": round(run["rps"], 1),
        "p50_ms": round(run["p50"]),
        "p99_ms": round(run["p99"]),
        "minutes": [
            {k: (round(v) if isinstance(v, float) else v) for k, v in m.items()}
            for m in run["minutes"]
        ],
        "register": register,
        "in_the_box": in_box,
        "still_sealed": sealed,
        "box_counts": counted,
        "agree": agree,
        "worst_minute_p99_ms": round(max(m["p99"] for m in run["minutes"])),
        "measured": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{os.cpu_count()} cores",
    }
    path = ROOT / "bench" / "results" / "soak.json"
    path.write_text(json.dumps(result, indent=1) + "\n")
    print(f"{'minute':>6} {'ballots':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for m in result["minutes"]:
        print(f"{m['minute']:6} {m['n']:8} {m['p50']:7} {m['p99']:7} {m['errors']:6}")
    for key in ("requests", "errors", "register", "in_the_box", "still_sealed"):
        print(f"{key:14} {result[key]}")
    print(f"{'box counts':14} {counted}\nagree          {agree}\nwritten to {path}")


if __name__ == "__main__":
    main()
