"""Live-results benchmark: N WebSocket clients on one server process, ballots cast at a
steady rate through another, both sharing PostgreSQL and Redis (channels-redis).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/live.py [--clients 1000] [--rate 200] [--seconds 10]

Prints the delay from a ballot's commit to its arrival on the clients (p50/p95/max,
measured per update as: arrival time − commit time of the newest ballot it includes),
messages received per client, and whether every client ended on the final count.
Targets (issue 6): p95 < 1 s for 1,000 clients at 200 ballots/s; all end on the final count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.cast import free_port, setup  # noqa: E402


def serve_asgi(port, db_url, redis_url):
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DB_POOL": "1",
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "civic.asgi:application",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "error",
            "--backlog",
            "4096",
        ],
        cwd=ROOT,
        env=env,
    )
    import socket

    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


async def run(args, slug, section, codes, sessions, ws_port, http_port, cycle_id):
    import httpx
    import websockets

    commits: list[tuple[int, float]] = []  # (count after commit, time)
    delays, counts, finals = [], [], []

    async def client(i):
        await asyncio.sleep(i * args.ramp / args.clients)  # limit the connection burst
        last = 0
        received = 0
        async with websockets.connect(
            f"ws://127.0.0.1:{ws_port}/ws/cycles/{cycle_id}/results/",
            origin=f"http://127.0.0.1:{ws_port}",
            open_timeout=60,
            max_queue=None,
        ) as ws:
            ready.append(i)
            while True:
                try:
                    msg = json.loads(
                        await asyncio.wait_for(ws.recv(), timeout=args.seconds + 15)
                    )
                except TimeoutError:
                    break
                now = time.perf_counter()
                received += 1
                cast = msg.get("data", {}).get("turnout", {}).get("cast", last)
                if msg["type"] == "update" and cast > last:
                    newest = next((t for n, t in reversed(commits) if n <= cast), None)
                    if newest is not None:
                        delays.append(now - newest)
                last = max(last, cast)
                if done.is_set() and last >= total_cast[0]:
                    break
        counts.append(received)
        finals.append(last)

    ready: list[int] = []
    failed: list[str] = []
    done = asyncio.Event()
    total_cast = [10**9]
    tasks = [asyncio.create_task(client(i)) for i in range(args.clients)]
    while len(ready) < args.clients:
        await asyncio.sleep(0.2)
    interval = 1 / args.rate
    body = json.dumps({"choices": {str(section): codes[:2]}}).encode()
    n = 0
    start = time.perf_counter()
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{http_port}",
        timeout=30,
        limits=httpx.Limits(max_connections=64),
    ) as http:

        async def one(session):
            nonlocal n
            token = "a" * 32
            try:
                r = await http.post(
                    f"/cycles/{slug}/ballot.json",
                    content=body,
                    headers={
                        "Cookie": f"sessionid={session}; csrftoken={token}",
                        "X-CSRFToken": token,
                        "Content-Type": "application/json",
                        "Referer": f"http://127.0.0.1:{http_port}/",
                    },
                )
            except httpx.TransportError:
                failed.append(session)
                return
            if r.status_code == 201:
                n += 1
                commits.append((n, time.perf_counter()))

        pending = []
        for i, session in enumerate(sessions):
            target = start + i * interval
            if target > start + args.seconds:
                break
            await asyncio.sleep(max(0, target - time.perf_counter()))
            pending.append(asyncio.create_task(one(session)))
        await asyncio.gather(*pending)
    total_cast[0] = n
    done.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    if failed:
        print(f"{len(failed)} casts failed at the HTTP level (server saturated)")
    return n, time.perf_counter() - start, delays, counts, finals


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--rate", type=float, default=200)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument(
        "--ramp", type=float, default=10, help="seconds over which clients connect"
    )
    args = ap.parse_args()
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    db_url = base.rsplit("/", 1)[0] + "/bench"
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    subprocess.run(["psql", base, "-qc", "CREATE DATABASE bench"], capture_output=True)
    slug, section, codes, sessions = setup(db_url, int(args.rate * args.seconds) + 100)
    from ballots.models import Cycle

    cycle_id = Cycle.objects.get(slug=slug).pk
    ws_port, http_port = free_port(), free_port()
    servers = [
        serve_asgi(ws_port, db_url, redis_url),
        serve_asgi(http_port, db_url, redis_url),
    ]
    try:
        n, elapsed, delays, counts, finals = asyncio.run(
            run(args, slug, section, codes, sessions, ws_port, http_port, cycle_id)
        )
    finally:
        for s in servers:
            s.send_signal(signal.SIGTERM)
            s.wait(20)
    delays.sort()
    q = lambda p: (
        delays[min(len(delays) - 1, int(p * len(delays)))] if delays else float("nan")
    )  # noqa: E731
    print(
        f"clients {args.clients}, ballots {n} in {elapsed:.1f}s ({n / elapsed:.0f}/s), two uvicorn processes, channels-redis"
    )
    print(
        f"delay commit→client  p50 {q(0.5) * 1000:.0f} ms  p95 {q(0.95) * 1000:.0f} ms  max {max(delays or [0]) * 1000:.0f} ms"
    )
    print(
        f"messages per client  mean {statistics.mean(counts or [0]):.1f}  (updates are coalesced per cycle)"
    )
    print(
        f"clients on the final count: {sum(1 for f in finals if f >= n)}/{len(finals)}"
    )


if __name__ == "__main__":
    main()
