"""A surge of visitors during a vote, on `make serve`'s shape.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/surge.py [--visitors 300] [--sockets 1000] [--rate 20]

Prepares database `bench` as bench/cast.py does (a neighbourhood with an open approval
vote and signed-in voters), then serves it as deployed: nginx in front (the one
address every client uses; anonymous pages the site marks as shared are kept there for
15 s: civic/page_cache.py, deploy/nginx.conf.template), gunicorn (2 workers x 16
threads, psycopg pool, Redis), two uvicorn processes for WebSockets and a Celery
worker building the live updates.
While 1,000 live-results sockets are open (bench/load/sockets.mjs) and 20 ballots a
second are cast over HTTP (bench/load/http.mjs), 300 anonymous visitors browse back
to back (bench/load/pages.mjs): first a minimal Django page for 20 s, then the real mix
for 20 s (home 20%, place 15%, forum 25%, proposal 25%, live results 15%), side by side
in the same run. Every load generator is a Node event loop; its CPU is reported apart.
Target: no error, p95 under 300 ms, and pages at least half as many a second as the
minimal page. Writes bench/results/surge.json.
"""

import argparse
import json
import os
import resource
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.cast import bench_database, bench_env, free_port, node, setup, start  # noqa: E402
from bench.live import serve_asgi, worker  # noqa: E402
from deploy.serve import nginx_config  # noqa: E402


def serve(port, db_url, redis_url):
    """HTTP as `make serve` runs it, with production's shared anonymous pages."""
    return start(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
        + ["-b", f"127.0.0.1:{port}", "-w", "2", "--threads", "16"]
        + ["--worker-class", "gthread", "--backlog", "4096", "--log-level", "error"]
        # As nginx keeps its upstream connections open (make serve), so the clients'
        # kept-alive connections are not closed under them between two ballots.
        + ["--keep-alive", "30"],
        bench_env(
            db_url, redis_url, DB_POOL="1", DB_POOL_MAX="16", PAGE_CACHE_SECONDS="15"
        ),
        port,
    )


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--visitors", type=int, default=300)
    ap.add_argument("--sockets", type=int, default=1000)
    ap.add_argument("--rate", type=float, default=20)
    ap.add_argument("--seconds", type=float, default=20)
    args = ap.parse_args()
    db_url, redis_url = bench_database()
    os.environ["REDIS_URL"] = redis_url
    cast_seconds = 2 * args.seconds + 15
    slug, section, codes, sessions = setup(db_url, int(args.rate * cast_seconds) + 50)
    from ballots.models import Cycle
    from forums.models import Proposal

    cycle = Cycle.objects.get(slug=slug)
    proposal = Proposal.objects.filter(forum__slug="bench-hood").order_by("pk").first()
    pages = [
        ["home", "/places/", 20],
        ["place", "/places/bench-hood/", 15],
        ["forum", "/forums/bench-hood/", 25],
        ["proposal", proposal.get_absolute_url(), 25],
        ["results", f"/cycles/{slug}/results/", 15],
    ]
    wsgi_port, router_port = free_port(), free_port()
    ws_ports = [free_port(), free_port()]
    processes = [serve(wsgi_port, db_url, redis_url)]
    processes += [serve_asgi(p, db_url, redis_url) for p in ws_ports]
    processes.append(worker(db_url, redis_url))
    folder = Path(tempfile.mkdtemp(prefix="nb-surge-"))
    # nginx in front of them all, as `make serve` runs it (deploy/nginx.conf.template:
    # sockets to uvicorn, the rest to gunicorn, shared anonymous pages kept).
    (folder / "nginx.conf").write_text(
        nginx_config(folder, router_port, wsgi_port, ws_ports)
    )
    processes.append(
        start(
            [
                "nginx",
                "-c",
                str(folder / "nginx.conf"),
                "-e",
                str(folder / "error.log"),
            ],
            os.environ,
            router_port,
        )
    )
    http_port = router_port
    try:
        watchers = node(
            "sockets.mjs",
            {
                "ports": [router_port],
                "path": f"/ws/cycles/{cycle.pk}/results/",
                "clients": args.sockets,
                "ready_file": str(folder / "ready"),
                "final_file": str(folder / "final"),
                "deadline": cast_seconds + 30,
            },
            background=True,
        )
        while not (folder / "ready").exists():
            if watchers.poll() is not None:
                raise SystemExit("the socket clients stopped before connecting")
            time.sleep(0.1)
        casting = node(
            "http.mjs",
            {
                "port": http_port,
                "path": f"/cycles/{slug}/ballot.json",
                "body": json.dumps({"choices": {str(section): codes[:2]}}),
                "sessions": sessions,
                "concurrency": 64,
                "rate": args.rate,
                "seconds": cast_seconds,
            },
            background=True,
        )
        time.sleep(3)
        runs = {}
        for name, mix in (
            ("minimal", [["minimal page", "/bench/page/", 1]]),
            ("pages", pages),
        ):
            before = children_cpu()
            runs[name] = node(
                "pages.mjs",
                {
                    "port": http_port,
                    "pages": mix,
                    "concurrency": args.visitors,
                    "seconds": args.seconds,
                },
            )
            runs[name]["load_generator_cpu_s"] = round(children_cpu() - before, 1)
        cast = json.loads(casting.communicate()[0])
        (folder / "final").write_text(str(len(cast["commits"])))
        seen = json.loads(watchers.communicate()[0])
    finally:
        for proc in processes:
            proc.send_signal(signal.SIGTERM)
        for proc in processes:
            proc.wait(30)

    def rounded(d):
        return {k: round(v) if isinstance(v, float) else v for k, v in d.items()}

    minimal, real = runs["minimal"]["all"], runs["pages"]["all"]
    result = {
        "visitors": args.visitors,
        "server": "nginx (shared anonymous pages kept 15 s) in front of gunicorn 2 "
        "workers x 16 threads (psycopg pool, Redis), 2 uvicorn for sockets, a Celery "
        "worker",
        "minimal_page": rounded(minimal),
        "pages": rounded(real),
        "by_page": {k: rounded(v) for k, v in runs["pages"]["kinds"].items()},
        "throughput_ratio": round(real["per_s"] / minimal["per_s"], 2),
        "load_generator_cpu_s": {
            "minimal": runs["minimal"]["load_generator_cpu_s"],
            "pages": runs["pages"]["load_generator_cpu_s"],
        },
        "sockets_open": seen["opened"],
        "sockets_failed": seen["failed"],
        "ballots_cast": len(cast["commits"]),
        "ballots_per_s": round(len(cast["commits"]) / cast_seconds, 1),
        "cast_errors": cast["errors"],
        "cast_statuses": cast["statuses"],
        "measured": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{os.cpu_count()} cores",
    }
    path = ROOT / "bench" / "results" / "surge.json"
    path.write_text(json.dumps(result, indent=1) + "\n")
    print(
        f"{'page':14} {'n':>6} {'per s':>6} {'p50':>5} {'p95':>5} {'p99':>5} {'err':>4}"
    )
    for kind, r in [("minimal page", result["minimal_page"])] + list(
        result["by_page"].items()
    ):
        print(
            f"{kind:14} {r['n']:6} {r['per_s']:6} {r['p50']:5} {r['p95']:5} "
            f"{r['p99']:5} {r['errors']:4}"
        )
    for key in (
        "throughput_ratio",
        "sockets_open",
        "sockets_failed",
        "ballots_cast",
        "cast_errors",
        "cast_statuses",
        "load_generator_cpu_s",
    ):
        print(f"{key:22} {result[key]}")
    print(f"written to {path}")


if __name__ == "__main__":
    main()
