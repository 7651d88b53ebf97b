"""Casting benchmark: real HTTP ballots against the project served as it is deployed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/cast.py [--voters 6000] [--concurrency 200,50] [--seconds 8]

What it does, in one run:
  1. Creates (or reuses) database `bench`, migrates it, and sets up a neighbourhood with an
     open approval cycle and N verified residents, each with a signed-in session and CSRF
     cookie prepared beforehand.
  2. Serves the project as deployed for HTTP (PERFORMANCE.md): gunicorn, 2 workers × 16
     threads, psycopg pool, Redis layer and cache; WebSockets would be on uvicorn beside it.
  3. For each concurrency level, drives back-to-back clients: first the minimal view (a
     session-authenticated POST that inserts one row), then real ballots (JSON endpoint,
     every ballot a different voter, full validation, register + ballot box + receipt,
     live-results broadcast scheduling). Prints requests/s and p50/p99 latency, and the
     ratio of ballots/s to the minimal view's requests/s.
Targets (issue 4): ratio ≥ 0.8, ≥ 400 ballots/s at 200 clients, p99 < 250 ms at 50.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from deploy.serve import free_port, wait_port  # noqa: E402


def setup(db_url: str, voters: int):
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from importlib import import_module

    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth.hashers import make_password

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore  # noqa: N806

    from ballots.models import (
        Ballot,
        BoxCount,
        Cycle,
        Phase,
        SealedBallot,
        Section,
        VoterRecord,
    )
    from ballots.services import cycle_set_phase
    from civic.models import (
        Budget,
        Category,
        Contribution,
        FrameworkRules,
        Place,
        PlaceKind,
        PublicBody,
        Role,
        User,
    )
    from forums.models import Forum, Proposal, ProposalStatus

    with connection.cursor() as c:
        c.execute(
            "CREATE TABLE IF NOT EXISTS bench_row (id bigserial primary key, user_id bigint, at timestamptz default now())"
        )
        c.execute("TRUNCATE bench_row")
    place = Place.objects.filter(slug="bench-hood").first()
    if place is None:
        root = Place.add_root(
            name="Bench county", slug="bench-county", kind=PlaceKind.COUNTY
        )
        place = root.add_child(
            name="Bench hood", slug="bench-hood", kind=PlaceKind.NEIGHBOURHOOD
        )
        FrameworkRules.objects.create(
            place=root,
            ballot_method="approval",
            tally_rule="greedy",
            min_choices=1,
            max_choices=3,
            min_age=16,
            live_results=True,
        )
        import datetime as dt

        budget = Budget.objects.create(
            place=place,
            name="Bench",
            period_start=dt.date(2000, 1, 1),
            period_end=dt.date(2100, 1, 1),
        )
        body = PublicBody.objects.create(
            name="Bench council", slug="bench-council", kind="council"
        )
        Contribution.objects.create(budget=budget, body=body, amount_pence=100000_00)
        cat = Category.objects.get_or_create(slug="bench", defaults={"name": "Bench"})[
            0
        ]
        forum = Forum.objects.create(place=place, name="Bench forum", slug="bench-hood")
        for i in range(8):
            Proposal.objects.create(
                forum=forum,
                title=f"Project {i}",
                summary="s",
                description="d",
                category=cat,
                cost_pence=(i + 1) * 5000_00,
                status=ProposalStatus.SHORTLISTED,
            )
        now = dt.datetime.now(dt.UTC)
        cycle = Cycle.objects.create(
            place=place,
            name="Bench cycle",
            slug="bench-cycle",
            phase=Phase.SHORTLIST,
            voting_start=now,
            counting_start=now + dt.timedelta(days=3650),
        )
        Section.objects.create(
            cycle=cycle, place=place, budget=budget, budget_pence=100000_00
        )
    cycle = Cycle.objects.get(slug="bench-cycle")
    # A fresh start: no register, no box, no counts, no live state kept from a run
    # before (the live state lives in Redis).
    VoterRecord.objects.filter(cycle=cycle).delete()
    Ballot.objects.filter(cycle=cycle).delete()
    SealedBallot.objects.filter(cycle=cycle).delete()
    BoxCount.objects.filter(cycle=cycle).delete()
    from ballots import live

    live.forget(cycle.pk)
    existing = User.objects.filter(email__endswith="@bench.example").count()
    password = make_password(None)
    if existing < voters:
        new = User.objects.bulk_create(
            User(
                email=f"v{i}@bench.example",
                password=password,
                year_of_birth=1980,
                display_name=f"V{i}",
            )
            for i in range(existing, voters)
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=u, email=u.email, verified=True, primary=True)
            for u in new
        )
        Role.objects.bulk_create(
            Role(user=u, place=place, kind="resident", verification_method="code")
            for u in new
        )
    if cycle.phase != Phase.VOTING:  # opens once it has an electorate (pre-flight)
        cycle = cycle_set_phase(actor=None, cycle=cycle, phase=Phase.VOTING)
    users = list(
        User.objects.filter(email__endswith="@bench.example").order_by("pk")[:voters]
    )
    sessions = []
    for u in users:
        s = SessionStore()
        s["_auth_user_id"] = str(u.pk)
        s["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        s["_auth_user_hash"] = u.get_session_auth_hash()
        s.create()
        sessions.append(s.session_key)
    # Every voter has opened the ballot page before casting, as in the browser: the
    # page asks whether they may vote, which keeps their facts (ballots/voters.py).
    from ballots import voters as voter_facts

    for u in users:
        voter_facts.facts(u, cycle)
    section = cycle.sections.get()
    codes = list(section.projects.values_list("code", flat=True))
    connection.close()
    return cycle.slug, section.pk, codes, sessions


def bench_database(name="bench") -> tuple[str, str]:
    """(database URL, Redis URL) for a benchmark: database `name` beside the one
    DATABASE_URL names (created if missing), and REDIS_URL."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    server = base.rsplit("/", 1)[0]
    # Asked of the server's maintenance database: DATABASE_URL may name `name` itself,
    # which does not exist yet.
    done = subprocess.run(
        ["psql", f"{server}/postgres", "-qc", f'CREATE DATABASE "{name}"'],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 and "already exists" not in done.stderr:
        raise SystemExit(f"cannot create database {name}: {done.stderr.strip()}")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    return f"{server}/{name}", redis_url


def bench_env(db_url, redis_url, **extra) -> dict:
    """The environment every benchmarked process shares (bench/settings.py: the
    project's settings plus the minimal view)."""
    return {
        **os.environ,
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
        **extra,
    }


def start(command, env, port=None):
    """Start a server process; with `port`, return once it answers there."""
    proc = subprocess.Popen(command, cwd=ROOT, env=env)
    if port is not None:
        wait_port(port, timeout=60)
    return proc


def serve(port, db_url, redis_url):
    """HTTP as `make serve` runs it: gunicorn, 2 workers x 16 threads, psycopg pool."""
    return start(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
        + ["-b", f"127.0.0.1:{port}", "-w", "2", "--threads", "16"]
        + ["--worker-class", "gthread", "--backlog", "2048", "--log-level", "error"],
        bench_env(db_url, redis_url, DB_POOL="1", DB_POOL_MAX="16"),
        port,
    )


def node(script, config, background=False):
    """Run a Node load generator (bench/load/SCRIPT) on a JSON config: its JSON
    answer, or (background) the running process, whose stdout is that answer."""
    with tempfile.NamedTemporaryFile(
        "w", suffix=".json", prefix="nb-load-", delete=False
    ) as fh:
        json.dump(config, fh)
    command = ["node", str(ROOT / "bench" / "load" / script), fh.name]
    if background:
        return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _processes() -> dict[int, tuple[str, int, float]]:
    """Every process: pid -> (name, parent pid, CPU seconds used so far)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        found[int(entry.name)] = (
            name,
            int(fields[1]),
            (int(fields[11]) + int(fields[12])) / tick,
        )
    return found


def cpu_by_part(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the server under test (the process and its
    children), PostgreSQL and Redis."""
    procs = _processes()
    server = {server_pid}
    for pid, (_name, parent, _cpu) in sorted(procs.items()):
        if parent in server:
            server.add(pid)
    parts = {"django": 0.0, "postgresql": 0.0, "redis": 0.0}
    for pid, (name, _parent, cpu) in procs.items():
        if pid in server:
            parts["django"] += cpu
        elif name == "postgres":
            parts["postgresql"] += cpu
        elif name.startswith("redis-server"):
            parts["redis"] += cpu
    return parts


def drive(port, path, body, sessions, concurrency, seconds, server_pid=None):
    """Back-to-back POSTs from a Node event loop (bench/load/http.mjs), so the load
    generator takes little of the two cores the server is measured on. With
    `server_pid`, the answer also says how many ms of CPU each request took in each
    part (`cpu_ms`: the server, PostgreSQL, Redis and the load generator itself)."""
    import resource

    before = cpu_by_part(server_pid) if server_pid else None
    node_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    answer = node(
        "http.mjs",
        {
            "port": port,
            "path": path,
            "body": body.decode(),
            "sessions": sessions,
            "concurrency": concurrency,
            "seconds": seconds,
        },
    )
    if before is not None:
        after = cpu_by_part(server_pid)
        node_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = {part: after[part] - before[part] for part in after}
        used["load generator"] = (node_after.ru_utime + node_after.ru_stime) - (
            node_before.ru_utime + node_before.ru_stime
        )
        answer["cpu_ms"] = {
            part: round(1000 * seconds_used / answer["n"], 2)
            for part, seconds_used in used.items()
        }
    return answer


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--voters", type=int, default=6000)
    ap.add_argument("--concurrency", default="200,50")
    ap.add_argument("--seconds", type=float, default=8)
    args = ap.parse_args()
    db_url, redis_url = bench_database()
    port = free_port()
    print(
        f"{'view':10} {'clients':>7} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}"
    )
    results = {}
    for level in [int(c) for c in args.concurrency.split(",")]:
        slug, section, codes, sessions = setup(db_url, args.voters)
        server = serve(port, db_url, redis_url)
        try:
            body = json.dumps({"choices": {str(section): codes[:2]}}).encode()
            minimal = drive(
                port,
                "/bench/insert/",
                b"{}",
                list(sessions),
                level,
                args.seconds,
                server.pid,
            )
            cast = drive(
                port,
                f"/cycles/{slug}/ballot.json",
                body,
                list(sessions),
                level,
                args.seconds,
                server.pid,
            )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(20)
        for name, r in (("minimal", minimal), ("cast", cast)):
            print(
                f"{name:10} {level:7} {r['n']:8} {r['rps']:8.0f} {r['p50']:8.0f} {r['p99']:8.0f} {r['errors']:6}",
                flush=True,
            )
        ratio = cast["rps"] / minimal["rps"]
        keep = ("n", "rps", "p50", "p99", "errors", "cpu_ms")
        results[level] = {
            "minimal": {k: minimal[k] for k in keep},
            "cast": {k: cast[k] for k in keep},
            "ratio": round(ratio, 2),
        }
        print(f"{'ratio':10} {level:7} cast/minimal = {ratio:.2f}", flush=True)
        for name, r in (("minimal", minimal), ("cast", cast)):
            cpu = r["cpu_ms"]
            print(
                f"{name:10} {level:7} CPU ms per request: "
                + ", ".join(f"{part} {ms:.2f}" for part, ms in cpu.items())
                + f"; total {sum(cpu.values()):.2f}",
                flush=True,
            )
    out = ROOT / "bench" / "results" / "cast.json"
    out.write_text(
        json.dumps(
            {
                "measured": time.strftime("%Y-%m-%d %H:%M"),
                "server": "gunicorn 2 workers x 16 threads, psycopg pool, Redis",
                "load": "Node event loop (bench/load/http.mjs)",
                "clients": results,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"written to {out}")


if __name__ == "__main__":
    main()
