"""Server time of the main pages with realistic volumes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/pages.py

Builds (once) database `bench_pages`: a county with 10 forums, 2,000 proposals, 50,000
comments and 20,000 ballots, then times each page through Django's request handling
(the server's own time, no network), median of 5 after a warm-up. Target: < 150 ms each.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build():
    import datetime as dt
    import hashlib
    import random

    from django.core.management import call_command

    from ballots.models import Ballot, Cycle, Phase, Section, VoterRecord
    from ballots.services import cycle_set_phase
    from civic.models import (
        Budget,
        Category,
        Contribution,
        Place,
        PlaceKind,
        PublicBody,
        Role,
        User,
    )
    from forums.models import Comment, Forum, Proposal, ProposalStatus

    call_command("migrate", verbosity=0)
    if Place.objects.filter(slug="big-county").exists():
        return
    rng = random.Random(1)
    county = Place.add_root(name="Big county", slug="big-county", kind=PlaceKind.COUNTY)
    body = PublicBody.objects.create(
        name="Big council", slug="big-council", kind="council"
    )
    cats = [
        Category.objects.get_or_create(
            slug=f"cat-{i}", defaults={"name": f"Category {i}"}
        )[0]
        for i in range(6)
    ]
    author = User.objects.create_user(email="author@big.example", password=None)
    forums = []
    for i in range(10):
        county.refresh_from_db()
        hood = county.add_child(
            name=f"Hood {i:02d}", slug=f"hood-{i:02d}", kind=PlaceKind.NEIGHBOURHOOD
        )
        budget = Budget.objects.create(
            place=hood,
            name=f"Hood {i} budget",
            period_start=dt.date(2000, 1, 1),
            period_end=dt.date(2100, 1, 1),
        )
        Contribution.objects.create(budget=budget, body=body, amount_pence=100000_00)
        forums.append(
            Forum.objects.create(
                place=hood, name=f"Hood {i:02d} forum", slug=f"hood-{i:02d}"
            )
        )
    proposals = Proposal.objects.bulk_create(
        Proposal(
            forum=forums[i % 10],
            title=f"Proposal {i}",
            summary="A proposal",
            description="<p>Text</p>",
            category=cats[i % 6],
            cost_pence=rng.randint(5, 400) * 100_00,
            status=ProposalStatus.SHORTLISTED
            if i % 10 < 8 and i < 200
            else ProposalStatus.PUBLISHED,
        )
        for i in range(2000)
    )
    Comment.objects.bulk_create(
        (
            Comment(forum=p.forum, proposal=p, author=author, body="<p>A comment</p>")
            for p in (proposals[rng.randrange(2000)] for _ in range(50000))
        ),
        batch_size=5000,
    )
    hood0 = forums[0].place
    now = dt.datetime.now(dt.UTC)
    cycle = Cycle.objects.create(
        place=hood0,
        name="Hood 00 cycle",
        slug="hood-00-cycle",
        phase=Phase.SHORTLIST,
        voting_start=now,
        counting_start=now + dt.timedelta(days=3650),
    )
    section = Section.objects.create(cycle=cycle, place=hood0, budget_pence=100000_00)
    voters = User.objects.bulk_create(
        User(email=f"v{i}@big.example", password="!", year_of_birth=1980)
        for i in range(20000)
    )
    Role.objects.bulk_create(
        (
            Role(user=u, place=hood0, kind="resident", verification_method="code")
            for u in voters
        ),
        batch_size=5000,
    )
    cycle_set_phase(actor=None, cycle=cycle, phase=Phase.VOTING)
    codes = list(section.projects.values_list("code", flat=True))
    VoterRecord.objects.bulk_create(
        (VoterRecord(cycle=cycle, user=u, channel="online") for u in voters),
        batch_size=5000,
    )
    Ballot.objects.bulk_create(
        (
            Ballot(
                cycle=cycle,
                choices={str(section.pk): rng.sample(codes, 3)},
                receipt_hash=hashlib.sha256(f"{i}".encode()).hexdigest(),
            )
            for i in range(20000)
        ),
        batch_size=5000,
    )


def main():
    from bench.cast import bench_database

    db_url = bench_database("bench_pages")[0]
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    t = time.perf_counter()
    build()
    print(f"data ready in {time.perf_counter() - t:.0f}s")
    from django.test import Client

    from ballots.models import Cycle
    from forums.models import Proposal

    client = Client(HTTP_HOST="127.0.0.1")
    proposal = Proposal.objects.filter(forum__slug="hood-00").order_by("pk").first()
    cycle = Cycle.objects.get(slug="hood-00-cycle")
    pages = {
        "places list": "/places/",
        "county page": "/places/big-county/",
        "neighbourhood page": "/places/hood-00/",
        "forum (2,000 proposals, 50,000 comments)": "/forums/hood-00/",
        "forum, most discussed": "/forums/hood-00/?sort=discussed",
        "proposal with debate": proposal.get_absolute_url(),
        "ideas": "/forums/hood-00/ideas/",
        "cycle": cycle.get_absolute_url(),
        "live results (20,000 ballots)": f"/cycles/{cycle.slug}/results/",
        "statistics": f"/cycles/{cycle.slug}/statistics/",
        "money report": "/places/big-county/report/",
        "search": "/search/?q=proposal",
    }
    print(f"{'page':44} {'median ms':>10} {'max ms':>8}")
    for name, url in pages.items():
        client.get(url)
        times = []
        for _ in range(5):
            t = time.perf_counter()
            response = client.get(url, follow=True)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        flag = "" if statistics.median(times) < 150 else "  > 150 ms"
        print(f"{name:44} {statistics.median(times):10.0f} {max(times):8.0f}{flag}")


if __name__ == "__main__":
    main()
