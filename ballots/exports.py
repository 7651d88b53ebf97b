"""A budget's anonymised ballots as files (.pb and .csv), built in the background and
kept, so that a download never reads the box (seconds on 90,000 ballots).

Voting's close queues `ballots.tasks.build_exports`; the count keeps the file it
hashes for the published result; a download that finds no file queues one and says
it is being prepared. A kept file carries `key`, a digest of everything it is made
from (the rules it names, the projects' names, costs and categories, the ring-fences,
the budget and how many ballots the budget's box holds), so if any of them changes
it is stale and built again.
"""

from __future__ import annotations

import hashlib
import io
import json

from django.db.models import Sum
from django.utils import timezone

from civic import metrics, spreadsheets

from . import tallying
from .models import BallotExport, BoxCount, Section, Tally
from .tally import pabulib


def key(section: Section, rules: dict) -> str:
    ballots = (
        BoxCount.objects.filter(section_id=section.pk).aggregate(n=Sum("ballots"))["n"]
        or 0
    )
    made_from = {
        "rules": rules,
        "projects": [
            [p.code, p.title, p.cost_pence, p.category_slug]
            for p in section.projects.all()
        ],
        "ring_fences": tallying.ring_fences_for(section, rules),
        "budget": section.budget_pence,
        "ballots": ballots,
        "place": section.place.name,
        "cycle": [section.cycle.name, section.cycle.slug],
    }
    body = json.dumps(made_from, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def kept(section: Section, rules: dict) -> BallotExport | None:
    """The kept files, if they are still what the box and the rules make."""
    export = BallotExport.objects.filter(section=section).first()
    if export is None or export.key != key(section, rules):
        return None
    return export


def as_csv(section: Section, pb_text: str) -> str:

    parsed = pabulib.parse(pb_text, keep_votes=True)
    out = io.StringIO()
    writer = spreadsheets.writer(out)
    writer.writerow(["ballot", "section", "choices", "points"])
    for row in parsed.votes:
        writer.writerow(
            [row["voter_id"], section.place.name, row["vote"], row.get("points", "")]
        )
    return out.getvalue()


def build(section: Section, rules: dict) -> BallotExport:
    """The kept files, built (or rebuilt) first if they are missing or stale."""
    made_from = key(section, rules)
    found = BallotExport.objects.filter(section=section, key=made_from).first()
    if found is not None:
        return found
    pb_text = tallying.pabulib_export(section, rules)
    metrics.add("export_builds_total")
    export, _new = BallotExport.objects.update_or_create(
        section=section,
        defaults={
            "key": made_from,
            "pb": pb_text,
            "csv": as_csv(section, pb_text),
            "sha256": tallying.sha256(pb_text),
        },
    )
    return export


def building_key(section_id: int) -> str:
    return f"export-building:{section_id}"


def recount_published(tally, rules: dict) -> dict:
    """`recount_summary` of a published result's own export, made once per published
    file and kept on the tally: the ballots behind a published result never change.
    Publishing queues it (`ballots.tasks.recount_tally`), so a 90,000-ballot recount
    (seconds) is done before anyone opens the page; a page that finds none (or one
    made under other rules) recounts and keeps it."""
    key = tallying.recount_key(tally, rules)
    if tally.recount and tally.recount.get("key") == key:
        return tally.recount
    text = build(tally.section_cached, rules).pb  # the kept file, or built and kept
    found = tallying.recount_summary(text, tally, rules)
    found = {**found, "key": key, "at": timezone.now().isoformat()}
    Tally.objects.filter(pk=tally.pk).update(recount=found)
    tally.recount = found
    return found
