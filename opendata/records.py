"""Each open record as a plain dict, in the API's shapes (opendata/schemas.py): the one
place a model becomes open data, for the API and for the downloads alike."""

from __future__ import annotations

from django.db.models import F

from ballots.models import Cycle
from civic.models import Budget, Place

from . import selectors


def place(p: Place, parent: str | None) -> dict:
    return {
        "slug": p.slug,
        "name": p.name,
        "kind": p.kind,
        "gss_code": p.gss_code or None,
        "parent": parent,
        "summary": p.summary,
        "url": p.get_absolute_url(),
    }


def budget(b: Budget) -> dict:
    return {
        "id": b.pk,
        "place": b.place.slug,
        "name": b.name,
        "period_start": b.period_start,
        "period_end": b.period_end,
        "total_pence": b.total_pence or 0,
        "currency": "GBP",
        "contributions": [
            {
                "body": c.body.slug,
                "body_name": c.body.name,
                "amount_pence": c.amount_pence,
                "ring_fenced_pence": c.ring_fenced_pence or 0,
                "ring_fence_category": c.ring_fence_category.slug
                if c.ring_fence_category
                else None,
                "note": c.note,
                "kind": c.kind,
                "cil": {
                    "area": c.cil_receipt.place.slug,
                    "financial_year": c.cil_receipt.year_label,
                    "half_year": c.cil_receipt.get_half_display(),
                    "cil_received_pence": c.cil_receipt.receipts_pence,
                    "neighbourhood_portion_pence": c.cil_receipt.portion_pence,
                }
                if c.cil_receipt_id
                else None,
            }
            for c in b.contributions.all()
        ],
    }


def place_detail(p: Place) -> dict:
    parent = p.get_parent()
    money = selectors.place_money(p)
    return {
        **place(p, parent.slug if parent else None),
        "boundary": p.boundary,
        "boundary_generations": [
            {"valid_from": g.valid_from, "source": g.source}
            for g in p.boundary_generations.order_by(
                F("valid_from").asc(nulls_first=True)
            )
        ],
        "children": [{"slug": c.slug, "name": c.name} for c in p.get_children()],
        "budget": budget(money["budget"]) if money["budget"] else None,
        "money_in": [
            {
                "body": s.body.slug,
                "body_name": s.body.name,
                "amount_pence": s.amount_pence,
                "percent": s.percent,
            }
            for s in money["breakdown"]
        ],
        "ring_fenced": [
            {"category": c.slug, "category_name": c.name, "minimum_pence": amount}
            for c, amount in money["ring_fenced"]
        ],
        "rules": selectors.rules_in_force(p),
    }


def proposal(p, *, detail: bool = False) -> dict:
    out = {
        "id": p.pk,
        "title": p.title,
        "summary": p.summary,
        "status": p.status,
        "status_label": str(p.get_status_display()),
        "cost_pence": p.cost_pence,
        "category": {"slug": p.category.slug, "name": p.category.name},
        "place": p.forum.place.slug,
        "forum": p.forum.slug,
        "location": {
            "text": p.location_text,
            "latitude": p.latitude,
            "longitude": p.longitude,
        },
        "comment_count": p.comment_count,
        "published_at": p.published_at,
        "url": p.get_absolute_url(),
    }
    if detail:
        out |= {
            "description": p.description,
            "feasibility_note": p.feasibility_note,
            "status_reason": p.status_reason,
            "timeline": [
                {
                    "from_status": t.from_status,
                    "to_status": t.to_status,
                    "reason": t.reason,
                    "at": t.created_at,
                }
                for t in selectors.timeline(p)
            ],
        }
    return out


def cycle(c: Cycle) -> dict:
    return {
        "slug": c.slug,
        "name": c.name,
        "place": c.place.slug,
        "phase": c.phase,
        "phase_label": str(c.get_phase_display()),
        "phases": [
            {"phase": phase.value, "label": str(phase.label), "starts": getattr(c, f)}
            for phase, f in selectors.PHASE_DATES
        ],
        "results_published": c.results_published,
        "url": c.get_absolute_url(),
    }


def results(c: Cycle, found: list[dict]) -> dict:
    return {
        "cycle": c.slug,
        "sections": [
            {
                "place": s["section"].place.slug,
                "budget_pence": s["budget"],
                "spent_pence": s["spent"],
                "rule": s["tally"].rule,
                "voters": s["voters"],
                "projects": [
                    {
                        "code": r["code"],
                        "proposal": r["proposal"].pk if r["proposal"] else None,
                        "title": r["title"],
                        "category": r["category"],
                        "cost_pence": r["cost"],
                        "support": r["support"],
                        "funded": r["funded"],
                        "why": r["why"],
                    }
                    for r in s["rows"]
                ],
            }
            for s in found
        ],
    }


def decision(d) -> dict:
    return {
        "reference": d.reference,
        "title": d.title,
        "kind": d.kind,
        "place": d.place.slug,
        "cycle": d.cycle.slug if d.cycle else None,
        "decided_on": d.decided_on,
        "published_at": d.published_at,
        "text": d.text,
        "reasons": d.reasons,
        "amends": d.amends.reference if d.amends else None,
        "proposals": [p.pk for p in d.proposals.all()],
        "url": d.get_absolute_url(),
    }


def delivery(p) -> dict:
    recipient = getattr(p, "grant_recipient", None)
    return {
        "proposal": p.pk,
        "title": p.title,
        "status": p.status,
        "place": p.forum.place.slug,
        "cost_pence": p.cost_pence,
        "milestones": [
            {
                "title": m.title,
                "planned_date": m.planned_date,
                "actual_date": m.actual_date,
                "percent_done": m.percent_done,
                "update": m.update,
            }
            for m in p.milestones.all()
        ],
        "paid_by": [
            {
                "body": f.contribution.body.slug,
                "body_name": f.contribution.body.name,
                "amount_pence": f.amount_pence,
            }
            for f in p.funding.all()
        ],
        "benefits": [
            {
                "body": b.body.slug,
                "body_name": b.body.name,
                "note": b.note,
                "estimated_value_pence": b.estimated_value_pence,
            }
            for b in p.benefits.all()
        ],
        "recipient": {
            "name": recipient.name,
            "charity_number": recipient.charity_number,
            "company_number": recipient.company_number,
            "award_date": recipient.award_date,
        }
        if recipient
        else None,
    }
