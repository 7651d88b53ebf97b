"""Importing a real historical election from a Pabulib file as an archived cycle."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import sys
from fractions import Fraction
from functools import partial

from django.db import transaction
from django.utils.text import slugify

from civic.models import Budget, Category, Contribution, Place, PlaceKind, PublicBody
from civic.tasks import queue
from forums.models import Forum, Proposal, ProposalStatus

from . import ballot_box, tallying, tasks
from .models import Ballot, Cycle, CycleProject, Phase, Section, Tally
from .tally import pabulib
from .tally.model import APPROVAL, POINTS

METHOD = {
    "approval": "approval",
    "choose-1": "approval",
    "cumulative": "points",
    "scoring": "points",
    "ordinal": "ranked",
}


def pence(amount, per_unit: int = 100) -> int:
    """An amount in the file's units in hundredths of its currency ("pence"): a file
    in pounds, euros or złoty has 100 to the unit; one in pence, 1."""
    value = Fraction(amount) * per_unit
    if value.denominator != 1:
        raise pabulib.PabulibError(f"amount {amount} is not a whole number of pence")
    return int(value)


def currency_code(meta) -> str:
    """The ISO code the file's META `currency` starts with ("PLN", "EUR", "GBP
    (pence)"), GBP when it names none."""
    code = (meta.get("currency") or "").strip()[:3].upper()
    return code if len(code) == 3 and code.isalpha() else "GBP"


def _year(meta) -> int:
    for key in ("date_begin", "date_end", "year"):
        text = meta.get(key, "")
        for part in text.replace(".", "-").replace("/", "-").split("-"):
            if len(part) == 4 and part.isdigit():
                return int(part)
    return dt.date.today().year


def progress_bar(stream=sys.stderr):
    widest = 0  # a shorter line must blank out the end of a longer one

    def show(done: int, total: int | None = None, label: str = "voters"):
        nonlocal widest
        if total:
            width = 30
            filled = int(width * done / total)
            line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label}"
        else:
            line = f"read {done} {label}"
        widest = max(widest, len(line))
        stream.write(f"\r{line.ljust(widest)}")
        stream.flush()

    return show


@transaction.atomic
def import_pabulib(
    text: str, *, name: str = "", progress=None, rule: str | None = None
) -> Cycle:
    parsed = pabulib.parse(
        text, progress=(lambda n: progress(n, None, "votes read")) if progress else None
    )
    meta = parsed.meta
    vote_type = meta.get("vote_type", "approval")
    method = METHOD[vote_type]
    election = parsed.election()
    title = name or meta.get("description") or meta.get("unit") or "Imported election"
    base = (
        slugify(
            f"{meta.get('country', '')} {meta.get('unit', '')} {meta.get('instance', '')} {title}"
        )[:80]
        or "imported"
    )
    slug, n = base, 1
    while (
        Place.objects.filter(slug=slug).exists()
        or Cycle.objects.filter(slug=slug).exists()
    ):
        n += 1
        slug = f"{base}-{n}"
    archive = Place.objects.filter(slug="pabulib-archive").first() or Place.add_root(
        name="Pabulib archive",
        slug="pabulib-archive",
        kind=PlaceKind.COUNTY,
        summary="Real participatory budgeting elections from pabulib.org, for browsing and recount.",
    )
    archive.refresh_from_db()
    place = archive.add_child(
        name=title[:120],
        slug=slug,
        kind=PlaceKind.NEIGHBOURHOOD,
        summary=f"Imported from Pabulib ({meta.get('country', '')}, {meta.get('unit', '')}).",
    )
    year = _year(meta)
    body, _ = PublicBody.objects.get_or_create(
        slug="imported-budget", defaults={"name": "Imported budget", "kind": "council"}
    )
    budget = Budget.objects.create(
        place=place,
        name=f"{title[:100]} budget",
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
    )
    per_unit = 100 // parsed.cents
    budget_pence = pence(election.budget, per_unit)
    Contribution.objects.create(
        budget=budget,
        body=body,
        amount_pence=budget_pence,
        note=f"Budget in {meta.get('currency', 'the file')}",
    )
    forum = Forum.objects.create(place=place, name=f"{title[:140]} forum", slug=slug)
    if rule is None:  # the counting rule the file's META names
        rule = "greedy" if "greedy" in meta.get("rule", "").lower() else "equal_shares"
    rules = {
        "ballot_method": method,
        "tally_rule": rule,
        "min_choices": int(meta.get("min_length", 0) or 0),
        "max_choices": int(meta["max_length"])
        if meta.get("max_length") and method != "ranked"
        else None,
        "max_ranked": int(meta["max_length"])
        if meta.get("max_length") and method == "ranked"
        else (max((len(b) for b in election.ballots.counts), default=1)),
        "live_results": True,
        "allow_replacement": False,
        "randomise_order": False,
        "min_spend_percent": 0,
        "ring_fences": {
            slugify(category)[:80]: pence(amount, per_unit)
            for category, amount in parsed.ring_fences().items()
        },
        "voting_scope": "own",
        "min_age": 0,
        "residency_required": False,
    }
    if meta.get("max_sum_points"):
        rules["points_per_voter"] = int(Fraction(meta["max_sum_points"]))
    cycle = Cycle.objects.create(
        place=place,
        name=title[:160],
        slug=slug,
        phase=Phase.RESULTS,
        frozen_rules=rules,
        archived=True,
        currency=currency_code(meta),
        description=meta.get("comment", "")[:2000],
    )
    section = Section.objects.create(
        cycle=cycle, place=place, budget=budget, budget_pence=budget_pence
    )
    categories = {}
    for row in parsed.projects:
        cat_name = (row.get("category") or row.get("categories") or "Other").split(",")[
            0
        ].strip() or "Other"
        cat_slug = slugify(cat_name)[:80] or "other"
        if cat_slug not in categories:
            categories[cat_slug] = Category.objects.get_or_create(
                slug=cat_slug, defaults={"name": cat_name[:80]}
            )[0]
        pid = row["project_id"]
        cost = pence(election.projects[pid].cost, per_unit)
        proposal = Proposal.objects.create(
            forum=forum,
            title=(row.get("name") or f"Project {pid}")[:140],
            summary=(row.get("name") or "")[:300],
            description=f"<p>Project {pid} of the imported election.</p>",
            category=categories[cat_slug],
            cost_pence=cost,
            status=ProposalStatus.SHORTLISTED,
        )
        CycleProject.objects.create(
            section=section,
            proposal=proposal,
            code=pid,
            title=proposal.title,
            cost_pence=cost,
            category_slug=cat_slug,
        )
    key = str(section.pk)
    total = election.ballots.voters
    batch, done = [], 0
    boxed = []  # (choices, how many): the box's counts (ballot_box.fill)
    for ballot, count in election.ballots.counts.items():
        if election.ballots.kind == APPROVAL:
            value = sorted(ballot)
        elif election.ballots.kind == POINTS:
            value = {p: int(v) for p, v in ballot}
        else:
            value = list(ballot)
        boxed.append(({key: value}, count))
        for _ in range(count):
            batch.append(
                Ballot(
                    cycle=cycle,
                    choices={key: value} if value else {},
                    receipt_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
                )
            )
            if len(batch) >= 2000:
                Ballot.objects.bulk_create(batch)
                done += len(batch)
                batch = []
                if progress:
                    progress(done, total, "ballots stored")
    Ballot.objects.bulk_create(batch)
    ballot_box.fill(cycle.pk, boxed)
    done += len(batch)
    if progress:
        progress(done, total, "ballots stored, counting…")
    outcome = tallying.count(section, rules, ballots=election.ballots)
    if progress:
        progress(done, total, "ballots stored and counted")
    tally = Tally.objects.create(
        section=section,
        rule=outcome.rule,
        utility=outcome.utility,
        result=outcome.as_dict(),
        ballots_counted=outcome.voters,
        published=True,
        export_sha256=tallying.sha256(tallying.pabulib_export(section, rules)),
    )
    transaction.on_commit(partial(queue, tasks.recount_tally, tally.pk))
    funded = set(outcome.selected)
    for project in section.projects.select_related("proposal"):
        Proposal.objects.filter(pk=project.proposal_id).update(
            status=ProposalStatus.FUNDED
            if project.code in funded
            else ProposalStatus.NOT_FUNDED
        )
    return cycle
