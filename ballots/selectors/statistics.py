"""Participation statistics for a cycle, with small groups suppressed.

A group (a neighbourhood, an age band) is shown only when at least MIN_GROUP voters are
in it, so no figure can point at an individual; smaller groups are merged into "other".
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from ballots.models import Channel, Cycle, SpoiltPapers, VoterRecord
from ballots.selectors import turnout
from civic import spreadsheets
from civic.charts import chart_bars


def _turnout(cycle):
    t = turnout(cycle)
    return {
        "total": t["cast"],
        "electorate": t["electorate"],
        "percent": t["percent"],
        "percent_text": None if t["percent"] is None else f"{t['percent']}%",
    }


MIN_GROUP = 10


def _suppress(rows: list[tuple[str, int]]) -> list[dict]:
    shown, other = [], 0
    for label, n in rows:
        if n >= MIN_GROUP:
            shown.append({"label": label, "n": n})
        else:
            other += n
    if other:
        shown.append(
            {
                "label": _("Other groups (fewer than %(k)s each)") % {"k": MIN_GROUP},
                "n": other,
                "merged": True,
            }
        )
    return chart_bars(shown, "n", width=520, muted=lambda r: r.get("merged", False))


def cycle_statistics(cycle: Cycle) -> dict:
    records = VoterRecord.objects.filter(cycle=cycle)
    counted = records.aggregate(
        total=Count("id"), helped=Count("id", filter=Q(assisted=True))
    )
    total, helped = counted["total"], counted["helped"]
    by_place = _suppress(
        [
            (r["neighbourhood__name"] or _("Not recorded"), r["n"])
            for r in records.values("neighbourhood__name")
            .annotate(n=Count("id"))
            .order_by("-n")
        ]
    )
    by_age = _suppress(
        [
            (r["age_band"] or _("Not recorded"), r["n"])
            for r in records.values("age_band")
            .annotate(n=Count("id"))
            .order_by("age_band")
        ]
    )
    labels = dict(Channel.choices)
    by_channel = _suppress(
        [
            (str(labels.get(r["channel"], r["channel"])), r["n"])
            for r in records.values("channel")
            .annotate(n=Count("id"))
            .order_by("channel")
        ]
    )
    # Each polling point's ballot account, as counts: people marked on the register
    # there (small points merged as every group is), then the points' spoilt papers.
    by_point = _suppress(
        [
            (r["polling_point__name"], r["n"])
            for r in records.filter(polling_point__isnull=False)
            .values("polling_point__name")
            .annotate(n=Count("id"))
            .order_by("-n", "polling_point__name")
        ]
    )
    spoilt = (
        SpoiltPapers.objects.filter(cycle=cycle).aggregate(n=Sum("number"))["n"] or 0
    )
    by_day = list(
        records.annotate(day=TruncDate("voted_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    running, top = 0, max(total, 1)
    bar = min(60, 600 // max(len(by_day), 1) - 6)
    for i, r in enumerate(by_day):
        running += r["n"]
        r["cumulative"] = running
        r["x"] = i * (bar + 6)
        r["w"] = bar
        r["h"] = max(1, round(150 * running / top))
        r["y"] = 160 - r["h"]
    return {
        **_turnout(cycle),
        "by_place": by_place,
        "by_age": by_age,
        "by_channel": by_channel,
        "by_point": by_point,
        # Counts across every point, shown when at least MIN_GROUP (or none).
        "in_person_extra": [
            (label, n)
            for label, n in (
                (_("Voters helped at polling points"), helped),
                (_("Spoilt papers at polling points"), spoilt),
            )
            if n >= MIN_GROUP
        ],
        "by_day": by_day,
        "min_group": MIN_GROUP,
        "tables": [
            (_("By neighbourhood"), by_place),
            (_("By age band"), by_age),
            (_("Online and paper"), by_channel),
            *([(_("By polling point"), by_point)] if by_point else []),
        ],
    }


def statistics_csv(found: dict) -> str:
    """The page's tables as one CSV: table, group, voters (and the days with their
    running total), with the same merging of small groups as the page."""
    import io

    out = io.StringIO()
    writer = spreadsheets.writer(out)
    writer.writerow(["table", "group", "voters", "so_far"])
    for title, rows in found["tables"]:
        for row in rows:
            writer.writerow([str(title), str(row["label"]), row["n"], ""])
    for day in found["by_day"]:
        writer.writerow(
            [
                str(_("Participation over time")),
                day["day"].isoformat(),
                day["n"],
                day["cumulative"],
            ]
        )
    return out.getvalue()
