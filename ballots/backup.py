"""Backing up and restoring a whole cycle (with its ballots) as one JSON document.

The document holds the cycle, its phase dates and log, frozen rules, budgets on the
ballot and their projects, every ballot (choices and receipt hash: still secret), the
register (voter emails, channel, time — treat the file as personal data), and the
stored results. Restoring checks the result by counting the ballots again.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.utils.dateparse import parse_datetime

from civic.errors import DomainError
from civic.models import Place, User
from forums.models import Proposal

from . import ballot_box, tallying
from .models import (
    Ballot,
    Cycle,
    CycleProject,
    Phase,
    PhaseChange,
    Section,
    Tally,
    VoterRecord,
)

FORMAT = "neighbourhood-budgets/cycle@1"
DATES = [f"{phase}_start" for phase in Phase]


class BackupError(DomainError, ValueError):
    """A backup file that cannot be restored, and why."""


def export_cycle(cycle: Cycle) -> dict:
    return {
        "format": FORMAT,
        "cycle": {
            "slug": cycle.slug,
            "name": cycle.name,
            "description": cycle.description,
            "place": cycle.place.slug,
            "phase": cycle.phase,
            "frozen_rules": cycle.frozen_rules,
            "archived": cycle.archived,
            "electorate": cycle.electorate,
            "currency": cycle.currency,
            "created_at": cycle.created_at.isoformat(),
            **{
                d: (getattr(cycle, d).isoformat() if getattr(cycle, d) else None)
                for d in DATES
            },
        },
        "phase_changes": [
            {
                "from": c.from_phase,
                "to": c.to_phase,
                "actor": c.actor.email if c.actor else None,
                "at": c.created_at.isoformat(),
            }
            for c in cycle.phase_changes.select_related("actor")
        ],
        "sections": [
            {
                "id": s.pk,
                "place": s.place.slug,
                "budget_pence": s.budget_pence,
                "position": s.position,
                "projects": [
                    {
                        "code": p.code,
                        "title": p.title,
                        "cost_pence": p.cost_pence,
                        "category": p.category_slug,
                        "proposal": p.proposal_id,
                    }
                    for p in s.projects.all()
                ],
                "tallies": [
                    {
                        "rule": t.rule,
                        "utility": t.utility,
                        "result": t.result,
                        "ballots_counted": t.ballots_counted,
                        "computed_at": t.computed_at.isoformat(),
                        "published": t.published,
                        "export_sha256": t.export_sha256,
                    }
                    for t in s.tallies.all()
                ],
            }
            for s in cycle.sections.select_related("place").prefetch_related(
                "projects", "tallies"
            )
        ],
        "ballots": ballot_box.contents(cycle.pk),
        "register": [
            {
                "user": r.user.email if r.user else None,
                "channel": r.channel,
                "voted_at": r.voted_at.isoformat(),
                "erased": r.erased,
                "age_band": r.age_band,
                "neighbourhood": r.neighbourhood.slug if r.neighbourhood else None,
                "replace_hash": r.replace_hash,
            }
            for r in VoterRecord.objects.filter(cycle=cycle)
            .select_related("user", "neighbourhood")
            .iterator()
        ],
    }


@transaction.atomic
def import_cycle(data: dict, *, slug: str | None = None) -> tuple[Cycle, list[str]]:
    """Restore a cycle; returns it and the sections whose recount differs (none expected)."""
    if data.get("format") != FORMAT:
        raise BackupError(f"not a cycle backup (expected format {FORMAT})")
    c = data["cycle"]
    slug = slug or c["slug"]
    if Cycle.objects.filter(slug=slug).exists():
        raise BackupError(
            f"a cycle called '{slug}' already exists; restore with --slug NEW"
        )
    places = {
        p.slug: p
        for p in Place.objects.filter(
            slug__in={c["place"], *(s["place"] for s in data["sections"])}
        )
    }
    missing = {c["place"], *(s["place"] for s in data["sections"])} - set(places)
    if missing:
        raise BackupError(
            f"these places are not in this database: {', '.join(sorted(missing))}"
        )
    cycle = Cycle.objects.create(
        slug=slug,
        name=c["name"],
        description=c["description"],
        place=places[c["place"]],
        phase=c["phase"],
        frozen_rules=c["frozen_rules"],
        archived=c["archived"],
        electorate=c["electorate"],
        currency=c.get("currency", "GBP"),
        **{d: parse_datetime(c[d]) if c.get(d) else None for d in DATES},
    )
    users = {
        u.email: u
        for u in User.objects.filter(
            email__in={r["user"] for r in data["register"] if r["user"]}
        )
    }
    for change in data["phase_changes"]:
        PhaseChange.objects.create(
            cycle=cycle,
            from_phase=change["from"],
            to_phase=change["to"],
            actor=users.get(change["actor"]),
            created_at=parse_datetime(change["at"]),
        )
    section_ids = {}

    known = set(
        Proposal.objects.filter(
            pk__in=[
                p["proposal"]
                for s in data["sections"]
                for p in s["projects"]
                if p["proposal"]
            ]
        ).values_list("pk", flat=True)
    )
    for s in data["sections"]:
        section = Section.objects.create(
            cycle=cycle,
            place=places[s["place"]],
            budget_pence=s["budget_pence"],
            position=s["position"],
        )
        section_ids[str(s["id"])] = str(section.pk)
        CycleProject.objects.bulk_create(
            CycleProject(
                section=section,
                code=p["code"],
                title=p["title"],
                cost_pence=p["cost_pence"],
                category_slug=p["category"],
                proposal_id=p["proposal"] if p["proposal"] in known else None,
            )
            for p in s["projects"]
        )
        for t in s["tallies"]:
            Tally.objects.create(
                section=section,
                rule=t["rule"],
                utility=t["utility"],
                result=t["result"],
                ballots_counted=t["ballots_counted"],
                computed_at=parse_datetime(t["computed_at"]),
                published=t["published"],
                export_sha256=t["export_sha256"],
            )
    Ballot.objects.bulk_create(
        (
            Ballot(
                cycle=cycle,
                receipt_hash=b["receipt_hash"],
                choices={
                    section_ids[k]: v
                    for k, v in b["choices"].items()
                    if k in section_ids
                },
            )
            for b in data["ballots"]
        ),
        batch_size=5000,
    )
    ballot_box.recount_box(cycle.pk)
    neighbourhoods = {
        p.slug: p
        for p in Place.objects.filter(
            slug__in={
                r["neighbourhood"] for r in data["register"] if r["neighbourhood"]
            }
        )
    }
    VoterRecord.objects.bulk_create(
        (
            VoterRecord(
                cycle=cycle,
                user=users.get(r["user"]),
                channel=r["channel"],
                voted_at=parse_datetime(r["voted_at"]),
                erased=r["erased"] or not users.get(r["user"]),
                age_band=r["age_band"],
                neighbourhood=neighbourhoods.get(r["neighbourhood"]),
                replace_hash=r["replace_hash"],
            )
            for r in data["register"]
        ),
        batch_size=5000,
    )
    differing = []
    if cycle.frozen_rules:
        for section in cycle.sections.prefetch_related("projects"):
            stored = (
                section.tallies.filter(published=True).order_by("-computed_at").first()
            )
            if stored is not None:
                recount = tallying.count(section, cycle.rules)
                if sorted(recount.selected) != sorted(stored.result["selected"]):
                    differing.append(section.place.slug)
    return cycle, differing


def dumps(data: dict) -> str:
    return json.dumps(data, indent=1, sort_keys=True)
