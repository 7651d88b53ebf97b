"""Profile the JSON casting path in-process: where a ballot's time goes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/profile_cast.py [--ballots 300]

Sets up the casting benchmark's cycle and voters (bench/cast.py), casts --ballots
ballots through Django's handler (the whole middleware stack, as a server would run
it) under cProfile, and writes the 40 most expensive functions (cumulative) to
bench/results/cast_profile.txt, with the queries per ballot.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.cast import bench_database, setup  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ballots", type=int, default=300)
    args = ap.parse_args()
    db_url, os.environ["REDIS_URL"] = bench_database()
    os.environ.setdefault("DEBUG", "0")
    slug, section, codes, sessions = setup(db_url, args.ballots)
    from django.db import connection
    from django.test import Client

    body = json.dumps({"choices": {str(section): codes[:2]}})
    url = f"/cycles/{slug}/ballot.json"

    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")

    def cast(session):
        client.cookies["sessionid"] = session
        client.cookies["csrftoken"] = "a" * 32
        response = client.post(
            url,
            body,
            content_type="application/json",
            HTTP_X_CSRFTOKEN="a" * 32,
            HTTP_REFERER="http://127.0.0.1/",
        )
        assert response.status_code == 201, (response.status_code, response.content)

    def minimal(session):
        client.cookies["sessionid"] = session
        client.cookies["csrftoken"] = "a" * 32
        response = client.post(
            "/bench/insert/",
            "{}",
            content_type="application/json",
            HTTP_X_CSRFTOKEN="a" * 32,
            HTTP_REFERER="http://127.0.0.1/",
        )
        assert response.status_code == 201, (response.status_code, response.content)

    cast(sessions[0])  # warm: imports, templates, connections
    minimal(sessions[0])
    # Without the profiler, one thread, no server and no load generator: what each
    # request costs this process, and so the best ratio the two views can have.
    half = (len(sessions) - 2) // 2
    timed = {}
    for name, view, batch in (
        ("minimal", minimal, sessions[2:]),
        ("cast", cast, sessions[2 : 2 + half]),
    ):
        started = time.perf_counter()
        for session in batch:
            view(session)
        timed[name] = 1000 * (time.perf_counter() - started) / len(batch)
    queries = []

    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        cast(sessions[1])
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for session in sessions[2 + half :]:
        cast(session)
    profiler.disable()
    elapsed = time.perf_counter() - started
    out = io.StringIO()
    n = len(sessions) - 2 - half
    out.write(
        f"One thread, no profiler: minimal view {timed['minimal']:.2f} ms, casting "
        f"{timed['cast']:.2f} ms per request; the best ratio one process can reach is "
        f"{timed['minimal'] / timed['cast']:.2f}.\n"
        f"Under the profiler: {n} ballots in {elapsed:.2f} s: {1000 * elapsed / n:.2f} "
        f"ms per ballot; {len(queries)} queries per ballot:\n"
    )
    for sql in queries:
        out.write(f"  {sql[:150]}\n")
    out.write("\n")
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
    target = ROOT / "bench" / "results" / "cast_profile.txt"
    target.write_text(out.getvalue())
    print(out.getvalue()[:6000])


if __name__ == "__main__":
    main()
