"""Results pages: the stored, published result, or live numbers while voting is open."""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ballots import selectors
from ballots.models import Cycle, Phase, Tally
from civic.charts import chart_bars
from civic.models import Category
from civic.money import amount
from civic.selectors import place_map

# Lazy: these are built once at import, and must be translated per request.
SCORING_NOTE = {
    "approval": _l("Each tick counts as one vote of support."),
    "knapsack": _l(
        "Each project chosen within a voter's budget counts as one vote of support."
    ),
    "points": _l("Support is the number of points voters gave."),
    "ranked": _l(
        "Rankings become points: with up to k projects ranked, the first gets k points, "
        "the second k−1, and so on; support is the total."
    ),
}
RULE_NOTE = {
    "greedy": _l(
        "Projects were funded in order of support, skipping any that no longer fitted the budget."
    ),
    "equal_shares": _l(
        "Method of Equal Shares: each voter controls an equal share of the budget and projects "
        "are funded by the voters who support them; shares were then raised %(unit)s at a time, "
        "and any money left funded the most-supported projects that still fitted."
    ),
}

TIE_NOTE = _l(
    "Ties (equal support, or an equal price per vote under equal shares) are broken by "
    "project code, compared letter by letter as text (so “10” comes before “9”), as "
    "the reference tool pabutools does."
)


def explain(e: dict, titles: dict[str, str], currency: str = "GBP") -> str:
    """A project's machine-readable explanation, in words a resident can read."""

    def money_text(value: str) -> str:
        return amount(int(Fraction(value)), currency)

    reason = e.get("reason")
    if reason == "greedy":
        return _("Funded: number %(r)s by support.") % {"r": e["rank"]}
    if reason in ("equal_shares", "equal_shares_free"):
        return _(
            "Funded in round %(r)s of equal shares: its supporters could pay for it together."
        ) % {"r": e.get("round", 0)}
    if reason == "completion":
        return _("Funded with the money left after equal shares.")
    if reason == "ring_fence":
        return _("Funded to meet the ring-fenced minimum for %(c)s.") % {
            "c": e["category"]
        }
    if reason == "not_affordable":
        after = e.get("after")
        if after:
            return _(
                "Not funded: it cost %(c)s but only %(r)s was left after “%(a)s” was funded."
            ) % {
                "c": money_text(e["cost"]),
                "r": money_text(e["remaining_budget"]),
                "a": titles.get(after[0], after[0]),
            }
        return _("Not funded: it cost %(c)s, more than the %(r)s available.") % {
            "c": money_text(e["cost"]),
            "r": money_text(e["remaining_budget"]),
        }
    if reason == "outbid":
        return _(
            "Not funded: outbid under equal shares. Its supporters' remaining money was %(m)s, "
            "less than its cost of %(c)s."
        ) % {"m": money_text(e["supporters_money"]), "c": money_text(e["cost"])}
    if reason == "no_support":
        return _("Not funded: nobody voted for it.")
    return ""


def results_map(results: list[dict], currency: str = "GBP") -> dict | None:
    """The counted projects that have a location, funded or not, as GeoJSON markers."""
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [row["proposal"].longitude, row["proposal"].latitude],
            },
            "properties": {
                "title": row["title"],
                "url": row["proposal"].get_absolute_url(),
                "status": "funded" if row["funded"] else "not_funded",
                "status_label": str(_("Funded") if row["funded"] else _("Not funded")),
                "cost": amount(row["cost"], currency),
            },
        }
        for result in results
        for row in result["rows"]
        if row["proposal"] is not None and row["proposal"].latitude is not None
    ]
    return {"type": "FeatureCollection", "features": features} if features else None


def final_results(cycle: Cycle) -> list[dict]:
    out = []
    categories = {c.slug: c.name for c in Category.objects.all()}
    for tally in selectors.latest_tallies(cycle):
        section = tally.section_cached
        projects = {p.code: p for p in section.projects.all()}
        titles = {code: p.title for code, p in projects.items()}
        result = tally.result
        rows = []
        for code, p in projects.items():
            support = int(Fraction(result["support"].get(code, "0")))
            rows.append(
                {
                    "code": code,
                    "title": p.title,
                    "cost": p.cost_pence,
                    "support": support,
                    "funded": code in result["selected"],
                    "proposal": p.proposal,
                    "category": categories.get(p.category_slug, ""),
                    "why": explain(
                        result["explanations"].get(code, {}), titles, cycle.currency
                    ),
                }
            )
        rows.sort(key=lambda r: (not r["funded"], -r["support"], r["title"]))
        spent = int(Fraction(result["spent"]))
        waivers = {w.category_slug: w for w in section.fence_waivers.all()}
        out.append(
            {
                "section": section,
                "tally": tally,
                "rows": chart_bars(
                    rows, "support", label="title", muted=lambda r: not r["funded"]
                ),
                "spent": spent,
                "budget": section.budget_pence,
                "spent_pct": round(100 * spent / section.budget_pence, 1)
                if section.budget_pence
                else 0,
                "ring_fences": [
                    {
                        **f,
                        "name": categories.get(f["category"], f["category"]),
                        "minimum": int(Fraction(f["minimum"])),
                        "spent": int(Fraction(f["spent"])),
                        "waiver": waivers.get(f["category"]),
                    }
                    for f in result.get("ring_fences", [])
                ],
                "voters": result.get("voters", 0),
            }
        )
    return out


def live_state(cycle: Cycle, counted: dict | None = None, sections=None) -> dict:
    """What may be shown while voting is open. With live results hidden by the rules,
    only turnout — nothing about support or outcome. `counted` (the box's counts,
    `ballot_box.counted`) and `sections` (with place and projects): when the caller
    has read them already."""
    channels = selectors.channel_counts(cycle)  # the register read once for both
    state = {
        "turnout": selectors.turnout(cycle, channels),
        "channels": _online_and_paper(channels),
        "phase": cycle.phase,
    }
    if not cycle.rules["live_results"]:
        return state
    if sections is None:
        sections = list(
            cycle.sections.select_related("place").prefetch_related("projects")
        )
    support = selectors.live_support(cycle, counted, sections)
    shown = []
    for section in sections:
        bucket = support.get(section.pk, {})
        rows = [
            {
                "code": p.code,
                "title": p.title,
                "cost": p.cost_pence,
                "support": bucket.get(p.code, 0),
            }
            for p in section.projects.all()
        ]
        rows.sort(key=lambda r: (-r["support"], r["title"]))
        shown.append(
            {
                "id": section.pk,
                "name": section.place.name,
                "budget": section.budget_pence,
                "rows": chart_bars(rows, "support", label="title"),
            }
        )
    state["sections"] = shown
    return state


def _online_and_paper(counts: dict[str, int]) -> dict:
    """Ballots by channel, and the figure the results page shows ("12 / 3")."""
    online, paper = counts.get("online", 0), counts.get("paper", 0)
    return {"online": online, "paper": paper, "split": f"{online} / {paper}"}


def results_context(cycle: Cycle, user) -> dict:
    rules = cycle.rules
    final = cycle.results_published
    channels = selectors.channel_counts(cycle)
    context = {
        "cycle": cycle,
        "rules": rules,
        "final": final,
        "scoring_note": SCORING_NOTE.get(rules["ballot_method"], ""),
        "rule_note": str(RULE_NOTE.get(rules["tally_rule"], ""))
        % {"unit": amount(100, cycle.currency)},
        "tie_note": TIE_NOTE,
        "turnout": selectors.turnout(cycle, channels),
        "channels": _online_and_paper(channels),
        "can_manage": user.has_perm("ballots.manage_cycle", cycle),
    }
    if final:
        context["results"] = final_results(cycle)
        context["map_markers"] = results_map(context["results"], cycle.currency)
        # The boundaries the vote was run under, though they have changed since.
        context["boundaries"] = place_map(cycle.place, on=cycle.voting_opened_on())
        context["result_legend"] = [
            ("funded", _("Funded")),
            ("not-funded", _("Not funded")),
        ]
    elif cycle.phase == Phase.VOTING:
        context["live"] = live_state(cycle)
    elif cycle.phase == Phase.COUNTING and context["can_manage"]:
        context["results"] = []

        drafts = Tally.objects.filter(section__cycle=cycle, published=False)
        if drafts.exists():
            context["draft_note"] = _(
                "A draft count exists; it is published when the phase moves on."
            )
    return context
