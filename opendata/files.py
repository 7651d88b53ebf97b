"""The open-data downloads: for everywhere and for each place, proposals, budgets,
decisions and spending as CSV and JSON; for each vote with published results, its
results; and the grants to community organisations in 360Giving's format. Built by the
task queue (opendata/tasks.py) into the default storage, listed on /open-data/.

Every CSV goes through the platform's one writer (civic.spreadsheets), which
neutralises cells a spreadsheet would run as a formula."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from civic import spreadsheets
from civic.models import Place
from cms.council import CouncilDetails

from . import records, selectors
from .models import ROOT, Download


def _csv(header: list[str], rows: Iterable[list]) -> bytes:
    out = io.StringIO()
    writer = spreadsheets.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _json(items: list[dict], **extra) -> bytes:
    document = {
        "licence": settings.NB_OPEN_DATA_LICENCE,
        **extra,
        "items": items,
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


# Each dataset: how to read its records for a place (None: everywhere) and how each
# record is a CSV row (a record may make several rows).
def _proposals(place):
    return [records.proposal(p) for p in selectors.public_proposals(place)]


PROPOSAL_COLUMNS = [
    "id", "title", "summary", "status", "cost_pence", "category", "place", "forum",
    "location", "latitude", "longitude", "comment_count", "published_at", "url",
]  # fmt: skip


def _proposal_rows(r):
    yield [
        r["id"], r["title"], r["summary"], r["status"], r["cost_pence"],
        r["category"]["slug"], r["place"], r["forum"], r["location"]["text"],
        r["location"]["latitude"], r["location"]["longitude"], r["comment_count"],
        r["published_at"], r["url"],
    ]  # fmt: skip


def _budgets(place):
    return [records.budget(b) for b in selectors.budgets(place)]


BUDGET_COLUMNS = [
    "budget_id", "place", "budget", "period_start", "period_end", "body",
    "amount_pence", "ring_fenced_pence", "ring_fence_category",
]  # fmt: skip


def _budget_rows(r):
    for c in r["contributions"]:
        yield [
            r["id"], r["place"], r["name"], r["period_start"], r["period_end"],
            c["body"], c["amount_pence"], c["ring_fenced_pence"],
            c["ring_fence_category"] or "",
        ]  # fmt: skip


def _decisions(place):
    return [records.decision(d) for d in selectors.decisions(place)]


DECISION_COLUMNS = [
    "reference", "title", "kind", "place", "cycle", "decided_on", "published_at",
    "reasons", "amends", "proposals", "url",
]  # fmt: skip


def _decision_rows(r):
    yield [
        r["reference"], r["title"], r["kind"], r["place"], r["cycle"] or "",
        r["decided_on"], r["published_at"], r["reasons"], r["amends"] or "",
        " ".join(str(p) for p in r["proposals"]), r["url"],
    ]  # fmt: skip


def _spending(place):
    return [records.delivery(p) for p in selectors.delivery(place)]


SPENDING_COLUMNS = [
    "proposal", "title", "place", "status", "cost_pence", "paid_by", "amount_pence",
]  # fmt: skip


def _spending_rows(r):
    for paid in r["paid_by"] or [{"body": "", "amount_pence": ""}]:
        yield [
            r["proposal"], r["title"], r["place"], r["status"], r["cost_pence"],
            paid["body"], paid["amount_pence"],
        ]  # fmt: skip


DATASETS: dict[str, tuple[Callable, list[str], Callable]] = {
    "proposals": (_proposals, PROPOSAL_COLUMNS, _proposal_rows),
    "budgets": (_budgets, BUDGET_COLUMNS, _budget_rows),
    "decisions": (_decisions, DECISION_COLUMNS, _decision_rows),
    "spending": (_spending, SPENDING_COLUMNS, _spending_rows),
}

RESULT_COLUMNS = [
    "cycle", "place", "code", "proposal", "title", "category", "cost_pence",
    "support", "funded", "why",
]  # fmt: skip


def _result_rows(found: dict):
    for s in found["sections"]:
        for p in s["projects"]:
            yield [
                found["cycle"], s["place"], p["code"], p["proposal"] or "", p["title"],
                p["category"], p["cost_pence"], p["support"], p["funded"], p["why"],
            ]  # fmt: skip


# 360Giving's column titles (the standard's "Summary" sheet).
GRANT_COLUMNS = [
    "Identifier", "Title", "Description", "Currency", "Amount Awarded",
    "Award Date", "Recipient Org:Identifier", "Recipient Org:Name",
    "Recipient Org:Charity Number", "Recipient Org:Company Number",
    "Funding Org:Identifier", "Funding Org:Name", "Beneficiary Location:Name",
    "Last Modified",
]  # fmt: skip


def grants() -> list[dict]:
    """Grants to community organisations, as 360Giving JSON objects."""
    prefix = settings.NB_360GIVING_PREFIX
    details = CouncilDetails.objects.first()
    funder = {
        "id": settings.NB_360GIVING_FUNDER_ID or prefix,
        "name": details.council_name if details and details.council_name else "",
    }
    now = timezone.now().isoformat(timespec="seconds")
    out = []
    for g in selectors.grants():
        p = g.proposal
        out.append(
            {
                "id": f"{prefix}-{p.pk}",
                "title": p.title,
                "description": p.summary,
                "currency": "GBP",
                "amountAwarded": p.cost_pence / 100,
                "awardDate": g.award_date.isoformat(),
                "recipientOrganization": [
                    {
                        "id": g.org_identifier or f"{prefix}-org-{g.pk}",
                        "name": g.name,
                        **(
                            {"charityNumber": g.charity_number}
                            if g.charity_number
                            else {}
                        ),
                        **(
                            {"companyNumber": g.company_number}
                            if g.company_number
                            else {}
                        ),
                    }
                ],
                "fundingOrganization": [funder],
                "beneficiaryLocation": [{"name": p.forum.place.name}],
                "lastModified": now,
                "dataSource": p.get_absolute_url(),
            }
        )
    return out


def _grant_rows(g: dict):
    org = g["recipientOrganization"][0]
    funder = g["fundingOrganization"][0]
    yield [
        g["id"], g["title"], g["description"], g["currency"], g["amountAwarded"],
        g["awardDate"], org["id"], org["name"], org.get("charityNumber", ""),
        org.get("companyNumber", ""), funder["id"], funder["name"],
        g["beneficiaryLocation"][0]["name"], g["lastModified"],
    ]  # fmt: skip


def _write(built: dict, now, *, place="", cycle="", dataset, fmt, content: bytes, rows):
    scope = place or (f"cycles/{cycle}" if cycle else "all")
    path = f"{ROOT}/{scope}/{dataset}.{fmt}"
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(content))
    built[path] = Download(
        place=place,
        cycle=cycle,
        dataset=dataset,
        fmt=fmt,
        path=path,
        size=len(content),
        rows=rows,
        built_at=now,
    )


def build() -> int:
    """Build every download again; returns how many files were written."""
    now = timezone.now()
    built: dict[str, Download] = {}
    scopes: list[Place | None] = [None, *selectors.places()]
    for place in scopes:
        slug = place.slug if place else ""
        for dataset, (read, columns, to_rows) in DATASETS.items():
            items = read(place)
            rows = [row for item in items for row in to_rows(item)]
            _write(built, now, place=slug, dataset=dataset, fmt="csv",
                   content=_csv(columns, rows), rows=len(rows))  # fmt: skip
            _write(built, now, place=slug, dataset=dataset, fmt="json",
                   content=_json(items, dataset=dataset, place=slug or None),
                   rows=len(items))  # fmt: skip
    for cycle in selectors.cycles():
        found = selectors.results(cycle)
        if found is None:
            continue
        result = records.results(cycle, found)
        rows = list(_result_rows(result))
        _write(built, now, cycle=cycle.slug, dataset="results", fmt="csv",
               content=_csv(RESULT_COLUMNS, rows), rows=len(rows))  # fmt: skip
        _write(built, now, cycle=cycle.slug, dataset="results", fmt="json",
               content=_json([result], dataset="results", cycle=cycle.slug),
               rows=len(rows))  # fmt: skip
    given = grants()
    grant_rows = [row for g in given for row in _grant_rows(g)]
    _write(built, now, dataset="grants-360giving", fmt="csv",
           content=_csv(GRANT_COLUMNS, grant_rows), rows=len(grant_rows))  # fmt: skip
    _write(built, now, dataset="grants-360giving", fmt="json",
           content=json.dumps({"grants": given}, ensure_ascii=False).encode(),
           rows=len(given))  # fmt: skip
    with transaction.atomic():
        stale = Download.objects.exclude(path__in=list(built))
        for path in stale.values_list("path", flat=True):
            default_storage.delete(path)
        stale.delete()
        Download.objects.filter(path__in=list(built)).delete()
        Download.objects.bulk_create(built.values())
    return len(built)
