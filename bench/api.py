"""Server time of the open-data API with the volumes of bench/pages.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/api.py

Uses (building it once) database `bench_pages`: a county with 10 forums, 2,000
proposals and 50,000 comments. Times each request through Django's request handling
(the server's own time, no network), median of 20 after a warm-up, beside a minimal
JSON view that reads 50 proposals in one query (bench/urls.py), and counts the queries.
Target: a page of the proposals list in under 50 ms. Writes bench/results/api.json.
"""

import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main():
    from bench.cast import bench_database

    os.environ["DATABASE_URL"] = bench_database("bench_pages")[0]
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("API_RATE", "1000000/m")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import build

    build()
    client = Client(HTTP_HOST="127.0.0.1")
    requests = {
        "minimal JSON view (50 proposals, one query)": "/bench/read/",
        "proposals, first page (50 of 2,000)": "/api/v1/proposals",
        "proposals, page 20": "/api/v1/proposals?page=20",
        "proposals, 100 a page": "/api/v1/proposals?page_size=100",
        "proposals of one neighbourhood": "/api/v1/proposals?place=hood-03",
        "proposals, cost range and status": "/api/v1/proposals?cost_min=100000&cost_max=2000000&status=published",
        "proposals on a cycle's ballot": "/api/v1/proposals?cycle=hood-00-cycle",
        "a proposal": "/api/v1/proposals/{pk}",
        "a place with budget and rules": "/api/v1/places/hood-00",
        "places": "/api/v1/places",
    }
    from forums.models import Proposal

    pk = Proposal.objects.order_by("pk").values_list("pk", flat=True)[1000]
    results = []
    print(f"{'request':52} {'median ms':>9} {'p95 ms':>7} {'queries':>7}")
    for name, url in requests.items():
        url = url.format(pk=pk)
        client.get(url)
        times = []
        for _ in range(20):
            with CaptureQueriesContext(connection) as queries:
                t = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        row = {
            "request": name,
            "url": url,
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(0.95 * len(times)) - 1], 1),
            "queries": len(queries.captured_queries),
        }
        results.append(row)
        print(
            f"{name:52} {row['median_ms']:9.1f} {row['p95_ms']:7.1f} {row['queries']:7}"
        )
    baseline = results[0]["median_ms"]
    for row in results:
        row["times_the_minimal_view"] = round(row["median_ms"] / baseline, 1)
    out = {
        "proposals": Proposal.objects.count(),
        "target_ms": 50,
        "requests": results,
        "measured": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
    }
    path = ROOT / "bench" / "results" / "api.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
