"""The open-data page (/open-data/): every download with its licence, format, size and
when it was built; a place's own files with ?place=; the published ballot files of
each counted vote; and the way to the API."""

from __future__ import annotations

import mimetypes

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models.functions import Length
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from ballots.models import BallotExport, Cycle
from civic.access import require
from civic.models import Place
from civic.tasks import queue

from . import tasks
from .models import ROOT, Download

# What each dataset holds, as the page describes it.
DATASETS = {
    "proposals": (
        _("Proposals"),
        _(
            "Every published proposal: status, cost, category, place, location and "
            "number of comments. Drafts and hidden proposals are never included."
        ),
    ),
    "budgets": (
        _("Budgets"),
        _("Each budget's money by public body, with any ring-fenced portion."),
    ),
    "decisions": (
        _("Decisions"),
        _("Published decision notices: what was decided, when and why."),
    ),
    "spending": (
        _("Spending"),
        _("Funded projects and which public body paid how much towards each."),
    ),
    "grants-360giving": (
        _("Grants (360Giving)"),
        _(
            "Funded projects granted to community organisations, in the 360Giving "
            "Data Standard."
        ),
    ),
    "results": (
        _("Results"),
        _(
            "Each project on the ballot: its support, cost, and why it was funded or not."
        ),
    ),
}
mimetypes.add_type("text/csv", ".csv")


def _grouped(downloads) -> list[dict]:
    """One row a dataset, with its files side by side."""
    rows: dict[str, dict] = {}
    for d in downloads:
        label, about = DATASETS.get(d.dataset, (d.dataset, ""))
        row = rows.setdefault(
            d.dataset,
            {"dataset": d.dataset, "label": label, "about": about, "files": []},
        )
        row["files"].append(d)
        row["rows"] = d.rows if d.fmt == "csv" else row.get("rows", d.rows)
        row["built_at"] = d.built_at
    return list(rows.values())


@require_safe
def index(request):
    require(request, "civic.view_place", None)
    if tasks.stale():
        queue(tasks.refresh)  # without a broker it is built here and now
    place = None
    if request.GET.get("place"):
        place = get_object_or_404(Place, slug=request.GET["place"])
    everywhere = Download.objects.filter(place="", cycle="")
    published = list(Cycle.objects.filter(Cycle.RESULTS_PUBLIC).order_by("-created_at"))
    files: dict[str, list] = {}
    for d in Download.objects.exclude(cycle="").order_by("fmt"):
        files.setdefault(d.cycle, []).append(d)
    ballots: dict[int, list] = {}
    for export in (
        BallotExport.objects.filter(section__cycle__in=published)
        .select_related("section__place")
        .annotate(pb_size=Length("pb"), csv_size=Length("csv"))
        .defer("pb", "csv")
        .order_by("section__position")
    ):
        ballots.setdefault(export.section.cycle_id, []).append(export)
    return render(
        request,
        "opendata/index.html",
        {
            "licence": settings.NB_OPEN_DATA_LICENCE,
            "everywhere": _grouped(everywhere),
            "place": place,
            "for_place": _grouped(Download.objects.filter(place=place.slug))
            if place
            else [],
            "places": Place.objects.order_by("path"),
            "results": [
                {
                    "cycle": c,
                    "files": files.get(c.slug, []),
                    "ballot_files": ballots.get(c.pk, []),
                }
                for c in published
            ],
        },
    )


@require_safe
def download(request, path):
    require(request, "civic.view_place", None)
    found = get_object_or_404(Download, path=f"{ROOT}/{path}")
    if not default_storage.exists(found.path):
        raise Http404
    content_type = mimetypes.guess_type(found.path)[0] or "application/octet-stream"
    response = FileResponse(
        default_storage.open(found.path, "rb"),
        content_type=f"{content_type}; charset=utf-8",
    )
    response["Content-Length"] = str(found.size)
    response["Last-Modified"] = http_date(found.built_at.timestamp())
    response["ETag"] = f'"{found.size}-{int(found.built_at.timestamp())}"'
    return response
