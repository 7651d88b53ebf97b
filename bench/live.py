"""Live-results benchmark, as `make serve` runs: ballots cast over HTTP on gunicorn
(2 workers x 16 threads), N WebSocket clients spread over two uvicorn processes, all
sharing PostgreSQL and Redis (channels-redis pub/sub).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/live.py [--clients 1000] [--rate 100] [--seconds 10]

The clients (bench/load/sockets.mjs, Node `ws`) connect all at once, and failed
handshakes are counted; then ballots are offered at --rate per second
(bench/load/http.mjs). For each update a client receives with a higher count than it
had, the delay is its arrival time minus the time the newest ballot it counts had
committed (its 201). Writes bench/results/live.json: delay p50/p95/max, messages per
client, clients that ended on the final count.
Targets (issue #17): p95 < 1 s with 1,000 clients at >= 100 ballots/s offered, every
client on the final count, 0 failed handshakes.
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.cast import (  # noqa: E402
    bench_database,
    bench_env,
    free_port,
    node,
    serve,
    setup,
    start,
)


def serve_asgi(port, db_url, redis_url):
    """WebSockets as `make serve` runs them: one uvicorn process."""
    return start(
        [sys.executable, "-m", "uvicorn", "config.asgi:application"]
        + ["--port", str(port), "--no-access-log", "--log-level", "error"]
        + ["--backlog", "4096"],
        bench_env(db_url, redis_url, DB_POOL="1"),
        port,
    )


def worker(db_url, redis_url):
    """The Celery worker `make serve` runs: it builds the live broadcasts."""
    proc = start(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency", "2"]
        + ["--loglevel", "ERROR", "--without-heartbeat", "--without-mingle"]
        + ["--without-gossip"],
        bench_env(
            db_url,
            redis_url,
            CELERY_EAGER="0",
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        ),
    )
    time.sleep(8)  # ready to take tasks before the clock starts
    return proc


def measure(args, slug, section, codes, sessions, ws_ports, http_port, cycle_id):
    """The sockets (bench/load/sockets.mjs) connect all at once, then ballots are cast
    at a steady rate over HTTP (bench/load/http.mjs): both Node event loops."""
    folder = Path(tempfile.mkdtemp(prefix="nb-live-"))
    ready, final = folder / "ready", folder / "final"
    watchers = node(
        "sockets.mjs",
        {
            "ports": ws_ports,
            "path": f"/ws/cycles/{cycle_id}/results/",
            "clients": args.clients,
            "ready_file": str(ready),
            "final_file": str(final),
            "deadline": args.seconds + 60,
        },
        background=True,
    )
    while not ready.exists():
        if watchers.poll() is not None:
            raise SystemExit("the socket clients stopped before connecting")
        time.sleep(0.1)
    time.sleep(1)  # let the snapshots settle before casting starts
    cast = node(
        "http.mjs",
        {
            "port": http_port,
            "path": f"/cycles/{slug}/ballot.json",
            "body": json.dumps({"choices": {str(section): codes[:2]}}),
            "sessions": sessions,
            "concurrency": 64,
            "rate": args.rate,
            "seconds": args.seconds,
        },
    )
    commits = sorted(cast["commits"])
    final.write_text(str(len(commits)))
    seen = json.loads(watchers.communicate()[0])
    delays = []
    last = {}
    for client, at, count, kind in sorted(seen["messages"], key=lambda m: m[1]):
        before = last.get(client, 0)
        if kind == "update" and count > before and 0 < count <= len(commits):
            delays.append((at - commits[count - 1]) / 1000)
        last[client] = max(before, count)
    per_client = [0] * args.clients
    for client, *_rest in seen["messages"]:
        per_client[client] += 1
    return {
        "clients": args.clients,
        "server_processes_for_sockets": len(ws_ports),
        "rate_offered": args.rate,
        "ballots": len(commits),
        "ballots_per_s": round(len(commits) / args.seconds, 1),
        "cast_errors": cast["errors"],
        "handshakes_failed": seen["failed"],
        "burst_connect_s": round(seen["connect_s"], 2),
        "updates_timed": len(delays),
        "delay_p50_s": _quantile(delays, 0.5),
        "delay_p95_s": _quantile(delays, 0.95),
        "delay_max_s": round(max(delays), 3) if delays else None,
        "messages_per_client": round(statistics.mean(per_client), 1),
        "on_final_count": sum(1 for f in seen["finals"] if f >= len(commits)),
    }


def _quantile(values, p):
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(p * len(values)))], 3)


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--rate", type=float, default=100)
    ap.add_argument("--seconds", type=float, default=10)
    args = ap.parse_args()
    db_url, redis_url = bench_database()
    slug, section, codes, sessions = setup(db_url, int(args.rate * args.seconds) + 100)
    from ballots.models import Cycle

    cycle_id = Cycle.objects.get(slug=slug).pk
    ws_ports = [free_port(), free_port()]
    http_port = free_port()
    servers = [serve(http_port, db_url, redis_url)] + [
        serve_asgi(p, db_url, redis_url) for p in ws_ports
    ]
    servers.append(worker(db_url, redis_url))
    try:
        result = measure(
            args, slug, section, codes, sessions, ws_ports, http_port, cycle_id
        )
    finally:
        for s in servers:
            s.send_signal(signal.SIGTERM)
            s.wait(20)
    result["measured"] = time.strftime("%Y-%m-%d %H:%M")
    out = ROOT / "bench" / "results" / "live.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    for key, value in result.items():
        print(f"{key:30} {value}")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
