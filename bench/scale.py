"""A Paris-sized vote, end to end, on this machine.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/scale.py

Builds (afresh each run) database `bench_scale` directly in PostgreSQL: a city of 20
neighbourhoods, each with its budget (£0.6m to £2.5m) and 10 shortlisted projects
(200 in all), one vote holding the 20 budgets on one ballot, approval with Method of
Equal Shares (with completion), 215,000 voters who each approve 1 to 5 of their own
neighbourhood's projects (popular projects more often), cast online or on paper, and
19 sealed ballots still waiting to be mixed. Then, in a separate process standing for
the task queue's worker, times the live payload (while voting is open: what every
live-results screen is sent, built in the worker), closing the vote (ballot_box.close:
the final shuffle in SQL), counting every budget, building the exports and recounting
the published files, and reports that process's peak memory; then times the pages
(results, statistics, recount, cycle): server time through Django's request handling,
and queries; a page's first view is the first request of a process started as the
servers start (config/wsgi.py, which warms up).

Targets: closing ≤ 5 s; counting every budget ≤ 10 s; exports ≤ 10 s; every page
≤ 300 ms; worker memory ≤ 1 GB. Writes bench/results/scale.json and prints a table.
"""

import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VOTERS = 215_000
HOODS = 20
PROJECTS = 10
WAITING = 19


def setup(db_url):
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()


def build() -> dict:
    """The city and its vote, voting open; returns the live payload's timing."""
    from django.db import connection, transaction

    from ballots import ballot_box
    from ballots.models import BoxCount, Cycle, Phase, Section
    from ballots.services import cycle_set_phase
    from civic.models import (
        Budget,
        Category,
        Contribution,
        FrameworkRules,
        Place,
        PlaceKind,
        PublicBody,
    )
    from forums.models import Forum, Proposal, ProposalStatus

    if Cycle.objects.filter(slug="city-2026").exists():
        return {}
    rng = random.Random(2026)
    city = Place.add_root(name="City", slug="city", kind=PlaceKind.COUNTY)
    FrameworkRules.objects.create(
        place=city,
        ballot_method="approval",
        tally_rule="equal_shares",
        min_choices=1,
        max_choices=5,
        voting_scope="own",
        live_results=True,
    )
    body = PublicBody.objects.create(name="City council", slug="city-council")
    cats = [
        Category.objects.get_or_create(slug=f"c{i}", defaults={"name": f"Theme {i}"})[0]
        for i in range(6)
    ]
    now = dt.datetime.now(dt.UTC)
    cycle = Cycle.objects.create(
        place=city,
        name="City budget 2026",
        slug="city-2026",
        phase=Phase.SHORTLIST,
        voting_start=now,
        counting_start=now + dt.timedelta(days=3650),
    )
    hoods = []
    for i in range(HOODS):
        city.refresh_from_db()
        hood = city.add_child(
            name=f"Quarter {i + 1:02d}",
            slug=f"quarter-{i + 1:02d}",
            kind=PlaceKind.NEIGHBOURHOOD,
        )
        money = rng.randint(6, 25) * 100_000_00
        budget = Budget.objects.create(
            place=hood,
            name=f"Quarter {i + 1} budget",
            period_start=dt.date(2000, 1, 1),
            period_end=dt.date(2100, 1, 1),
        )
        Contribution.objects.create(budget=budget, body=body, amount_pence=money)
        forum = Forum.objects.create(
            place=hood, name=f"Quarter {i + 1:02d} forum", slug=hood.slug
        )
        Proposal.objects.bulk_create(
            Proposal(
                forum=forum,
                title=f"Quarter {i + 1} project {j + 1}",
                summary="A project",
                description="<p>Text</p>",
                category=cats[j % 6],
                cost_pence=rng.randint(2, 40) * 10_000_00,
                status=ProposalStatus.SHORTLISTED,
                published_at=now,
            )
            for j in range(PROJECTS)
        )
        Section.objects.create(
            cycle=cycle, place=hood, budget=budget, budget_pence=money, position=i
        )
        hoods.append(hood)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy("COPY civic_user (password, is_superuser, first_name, "
                      "last_name, is_staff, is_active, date_joined, email, "
                      "display_name, postcode, year_of_birth, notify_replies, "
                      "notify_proposal_comments, notify_forum_updates, notify_receipt, "
                      "language, is_demo) FROM STDIN") as copy:  # fmt: skip
            for v in range(VOTERS):
                copy.write_row(
                    ("!", False, "", "", False, True, now, f"v{v}@city.example",
                     "", "", 1950 + v % 55, False, False, False, False, "", False)
                )  # fmt: skip
        cursor.execute(
            "SELECT id FROM civic_user WHERE email LIKE 'v%%@city.example' ORDER BY id"
        )
        users = [row[0] for row in cursor.fetchall()]
        with raw.copy(
            "COPY civic_role (user_id, place_id, kind, verification_method, "
            "granted_at) FROM STDIN"
        ) as copy:
            for v, user in enumerate(users):
                copy.write_row((user, hoods[v % HOODS].pk, "resident", "code", now))
    cycle_set_phase(actor=None, cycle=cycle, phase=Phase.VOTING)
    cycle.refresh_from_db()
    sections = list(cycle.sections.order_by("position").prefetch_related("projects"))
    codes = [[p.code for p in s.projects.order_by("pk")] for s in sections]
    weights = [1 / (k + 1) for k in range(PROJECTS)]  # popular projects more often
    grouped = Counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(
            "COPY ballots_voterrecord (cycle_id, user_id, channel, voted_at, "
            "replace_hash, erased, age_band, neighbourhood_id) FROM STDIN"
        ) as copy:
            for v, user in enumerate(users):
                copy.write_row(
                    (cycle.pk, user, "paper" if v % 10 == 0 else "online", now, "",
                     False, ("16-24", "25-44", "45-64", "65+")[v % 4],
                     hoods[v % HOODS].pk)
                )  # fmt: skip
        with raw.copy(
            "COPY ballots_ballot (id, cycle_id, choices, receipt_hash) FROM STDIN"
        ) as copy:
            import uuid

            for v in range(VOTERS):
                h = v % HOODS
                k = min(PROJECTS, 1 + int(rng.expovariate(0.6)))
                picks = sorted(set(rng.choices(codes[h], weights, k=min(k, 5))))
                grouped[(sections[h].pk, ballot_box.choice_key(picks))] += 1
                copy.write_row(
                    (uuid.uuid4(), cycle.pk,
                     json.dumps({str(sections[h].pk): picks}), f"{v:064x}")
                )  # fmt: skip
    BoxCount.objects.bulk_create(
        (
            BoxCount(cycle=cycle, section_id=sid, choice=key, ballots=n)
            for (sid, key), n in grouped.items()
        ),
        batch_size=5000,
    )
    with transaction.atomic():
        for w in range(WAITING):
            h = w % HOODS
            ballot_box.drop(
                cycle.pk, {str(sections[h].pk): [codes[h][0]]}, f"w{w:063x}"
            )
    print(f"built in {time.perf_counter() - started:.0f} s")
    return {}


def live_payload() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ballots import live
    from ballots.models import Cycle

    cycle = Cycle.objects.get(slug="city-2026")
    live.payload(cycle.pk)
    times = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            live.payload(cycle.pk)
            times.append(time.perf_counter() - started)
    return {
        "live_payload_ms": round(statistics.median(times) * 1000),
        "live_payload_queries": len(queries.captured_queries),
    }


def worker() -> dict:
    """The heavy steps, as the task queue's worker runs them (this process only)."""
    from django.db import transaction

    from ballots import ballot_box, exports, tallying
    from ballots.models import Ballot, BallotExport, Cycle, Phase, Tally
    from ballots.services import cycle_set_phase

    cycle = Cycle.objects.get(slug="city-2026")
    # What every live-results screen is sent, built here as the worker builds it,
    # while voting is still open.
    out = live_payload()
    # The final shuffle alone, in a transaction then rolled back.
    started = time.perf_counter()
    with transaction.atomic():
        out["ballots_closed"] = ballot_box.close(cycle.pk)
        out["close_s"] = round(time.perf_counter() - started, 2)
        transaction.set_rollback(True)
    # The officer's move as the worker makes it: close, count and build the exports.
    started = time.perf_counter()
    cycle_set_phase(actor=None, cycle=cycle, phase=Phase.COUNTING)
    out["close_count_and_exports_s"] = round(time.perf_counter() - started, 2)
    cycle.refresh_from_db()
    rules = cycle.rules
    sections = list(
        cycle.sections.select_related("place", "budget").prefetch_related(
            "projects", "budget__contributions__ring_fence_category"
        )
    )
    started = time.perf_counter()
    for section in sections:
        tallying.count(section, rules)
    out["count_all_budgets_s"] = round(time.perf_counter() - started, 2)
    BallotExport.objects.filter(section__cycle=cycle).delete()
    started = time.perf_counter()
    for section in sections:
        exports.build(section, rules)
    out["exports_s"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    cycle_set_phase(actor=None, cycle=cycle, phase=Phase.RESULTS)
    out["publish_s"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    for tally in Tally.objects.filter(section__cycle=cycle, published=True):
        tally.section_cached = tally.section
        Tally.objects.filter(pk=tally.pk).update(recount=None)
        tally.recount = None
        exports.recount_published(tally, rules)
    out["recount_all_published_s"] = round(time.perf_counter() - started, 2)
    out["ballots_in_box"] = Ballot.objects.filter(cycle=cycle).count()
    out["worker_peak_mb"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    )
    return out


def pages() -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    import config.wsgi  # noqa: F401 — a server process's start (civic/warmup.py)

    client = Client(HTTP_HOST="127.0.0.1")
    out = {}
    for name, url in {
        "results": "/cycles/city-2026/results/",
        "statistics": "/cycles/city-2026/statistics/",
        "recount": "/cycles/city-2026/recount/",
        "cycle": "/cycles/city-2026/",
    }.items():
        first = time.perf_counter()
        assert client.get(url).status_code == 200, url
        out[f"{name}_first_ms"] = round((time.perf_counter() - first) * 1000)
        times = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, url
        out[f"{name}_ms"] = round(statistics.median(times) * 1000)
        out[f"{name}_queries"] = len(queries.captured_queries)
    return out


def main():
    from bench.cast import bench_database

    if "--worker" not in sys.argv:  # a fresh city every run: the last one was closed
        base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
        subprocess.run(
            ["psql", f"{base.rsplit('/', 1)[0]}/postgres", "-qc"]
            + ["DROP DATABASE IF EXISTS bench_scale WITH (FORCE)"],
            check=True,
        )
    db_url = bench_database("bench_scale")[0]
    if "--worker" in sys.argv:
        setup(db_url)
        print(json.dumps(worker()))
        return
    setup(db_url)
    from django.core.management import call_command
    from django.db import connection, transaction

    from ballots.models import Cycle, Phase

    call_command("migrate", verbosity=0)
    with transaction.atomic():  # all or nothing: a failed build leaves no half city
        build()
    connection.cursor().execute("VACUUM ANALYZE")
    cycle = Cycle.objects.get(slug="city-2026")
    assert cycle.phase == Phase.VOTING
    result = {"voters": VOTERS, "budgets": HOODS, "projects": HOODS * PROJECTS}
    done = subprocess.run(
        [sys.executable, __file__, "--worker"],
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": os.environ["DATABASE_URL"]},
        check=True,
    )
    result.update(json.loads(done.stdout.strip().splitlines()[-1]))
    result.update(pages())
    result["machine"] = f"{os.cpu_count()} cores, {os.uname().machine}"
    result["measured"] = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    path = ROOT / "bench" / "results" / "scale.json"
    path.write_text(json.dumps(result, indent=1) + "\n")
    for key, value in result.items():
        print(f"{key:28} {value}")


if __name__ == "__main__":
    main()
