"""Reads in the civic domain, shaped for pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from wagtail import hooks

from . import cil
from .framework import resolve_rules
from .models import (
    BoundaryGeneration,
    Budget,
    CilReceipt,
    FrameworkRules,
    Place,
    PlaceKind,
    Role,
    RoleKind,
    normalise_postcode,
    postcode_in_area,
)
from .rule_descriptions import describe_rules


def under_paths(paths, field: str = "path"):
    """A filter for records whose place lies at or below any of `paths` (tree paths)."""
    from django.db.models import Q

    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def held_roles(user) -> list[tuple[str, str]]:
    """(place path, role kind) for every role `user` holds: one query per request,
    cached on the user object, shared by the permission rules and the admin scoping."""

    if not user.is_authenticated:
        return []
    held = user.__dict__.get("_nb_roles")
    if held is None:
        held = user.__dict__["_nb_roles"] = list(
            Role.objects.filter(user=user).values_list("place__path", "kind")
        )
    return held


def mfa_set_up(user) -> bool:
    """TOTP set up, a session the council's identity provider signed in with more
    than one factor (civic.middleware.IdentityProviderMiddleware), or a demo account while
    DEBUG is on (seed_demo's logins)."""
    if not user.is_authenticated:
        return False
    if getattr(user, "nb_provider_mfa", False):
        return True
    if getattr(settings, "NB_DEMO_MFA_EXEMPT", False) and user.is_demo:
        return True
    cache = user.__dict__.setdefault("_nb_mfa_cache", {})
    if "totp" not in cache:
        from allauth.mfa.models import Authenticator

        cache["totp"] = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists()
    return cache["totp"]


def role_paths(user, kinds) -> list[str]:
    """Tree paths of the places where `user` holds one of `kinds`. Councillor and
    officer roles count only once two-factor authentication is set up."""

    if not user.is_authenticated:
        return []
    kinds = set(kinds)
    needs_mfa = {RoleKind.COUNCILLOR, RoleKind.OFFICER}
    if kinds & needs_mfa and not mfa_set_up(user):
        kinds -= needs_mfa
    return list(dict.fromkeys(path for path, kind in held_roles(user) if kind in kinds))


def page_of(record):
    """The Wagtail page for a place or forum, if the cms made one: its published
    translation in the active language when there is one, else the original."""
    from django.utils.translation import get_language
    from wagtail.coreutils import get_supported_content_language_variant

    pages = getattr(record, "pages", None)
    if pages is None:
        return None
    found = sorted(pages.select_related("locale"), key=lambda page: page.pk)
    if not found:
        return None
    language = get_supported_content_language_variant(get_language())
    for page in found:
        if page.live and page.locale.language_code == language:
            return page
    return found[0]


def place_tree() -> list[Place]:
    """Every place in tree order (depth-first), for the home page's list."""
    return list(Place.get_tree())


def place_by_postcode(postcode: str) -> Place | None:
    """The most specific place whose postcode areas contain `postcode`."""
    postcode = normalise_postcode(postcode)
    if not postcode:
        return None
    best: tuple[int, int, Place] | None = None
    for place in Place.objects.exclude(postcode_areas=""):
        for prefix in place.postcode_prefixes():
            if postcode_in_area(postcode, prefix):
                key = (place.depth, len(prefix))
                if best is None or key > best[:2]:
                    best = (place.depth, len(prefix), place)
    return best[2] if best else None


def current_budget(place: Place, on=None) -> Budget | None:
    return (
        Budget.objects.current(on)
        .filter(place=place)
        .with_totals()
        .with_contributions()
        .first()
    )


@dataclass
class BodyShare:
    body: object
    amount_pence: int
    percent: float
    ring_fenced: list
    # Its contributions of the CIL neighbourhood portion, each with its receipt.
    cil: list = field(default_factory=list)


def budget_breakdown(budget: Budget) -> list[BodyShare]:
    """Money in by body, largest first, with each body's ring-fenced portions and
    CIL neighbourhood portions."""
    total = budget.total_pence or 0
    by_body: dict[int, BodyShare] = {}
    for c in budget.contributions.all():
        share = by_body.setdefault(c.body_id, BodyShare(c.body, 0, 0.0, []))
        share.amount_pence += c.amount_pence
        if c.ring_fenced_pence:
            share.ring_fenced.append((c.ring_fence_category, c.ring_fenced_pence))
        if c.cil_receipt_id:
            share.cil.append(c)
    shares = sorted(by_body.values(), key=lambda s: (-s.amount_pence, s.body.name))
    for share in shares:
        share.percent = round(100 * share.amount_pence / total, 1) if total else 0.0
    return shares


def place_money(place: Place, budget: Budget | None) -> dict:
    """A place's money as its page shows it (and the open data gives it): the budget
    in force, the money in by body, largest first, and the ring-fenced minimums."""
    return {
        "budget": budget,
        "breakdown": budget_breakdown(budget) if budget else [],
        "ring_fenced": sorted(
            budget.ring_fenced_by_category().items(), key=lambda kv: kv[0].name
        )
        if budget
        else [],
    }


def place_page(place: Place) -> dict:
    """Everything the public place page shows, in a bounded number of queries."""
    budget = current_budget(place)
    eff = resolve_rules(place)
    return {
        "place": place,
        "ancestors": place.lineage()[:-1],
        "children": list(place.get_children()),
        **place_money(place, budget),
        "past_budgets": list(
            Budget.objects.filter(place=place)
            .with_totals()
            .exclude(pk=getattr(budget, "pk", None))
            .order_by("-period_start")[:5]
        ),
        "rules": describe_rules(eff),
        "effective_rules": eff,
        "has_own_rules": FrameworkRules.objects.filter(place=place).exists(),
        "boundaries": place_map(place),
        # What the layers above add (wagtail hook "place_page", given the place and
        # its rules in force): decisions and what the budget paid for
        # (accountability/wagtail_hooks.py), votes and their dates (ballots/...).
        **{
            key: value
            for extend in hooks.get_hooks("place_page")
            for key, value in extend(place, eff).items()
        },
    }


def place_map(place: Place, on: datetime.date | None = None) -> dict | None:
    """The boundaries to draw on a place's map, as a GeoJSON FeatureCollection: the
    place's own (or the nearest one above it) and those of the places just inside it;
    on the day `on` where given (a past vote's map keeps the boundaries it was run
    under), else today's."""
    shown = [own] if (own := place.area()) is not None else []
    shown += place.get_children().filter(boundary__isnull=False)
    then = (
        BoundaryGeneration.objects.filter(place__in=shown).in_force(on)
        if on is not None
        else {}
    )
    features = [
        {
            "type": "Feature",
            "properties": {"name": p.name},
            "geometry": then[p.pk].geometry if p.pk in then else p.boundary,
        }
        for p in shown
    ]
    return {"type": "FeatureCollection", "features": features} if features else None


@dataclass
class CilRow:
    """One CIL receipt as the Infrastructure Funding Statement report shows it."""

    receipt: CilReceipt
    portion: cil.Portion
    held_pence: int
    budgets: list[str]

    @property
    def passed_to(self) -> str:
        """Where there is a parish council the portion is paid to it; elsewhere the
        charging authority spends it with the community (regulation 59F)."""
        if self.receipt.place.kind == PlaceKind.PARISH:
            return _("Paid to the parish council")
        return _("Spent by the charging authority with the community")

    @property
    def not_in_a_budget_pence(self) -> int:
        return self.portion.portion_pence - self.held_pence


def cil_years(place: Place) -> list[int]:
    """The financial years with CIL receipts in or under `place`, newest first."""
    return list(
        CilReceipt.objects.filter(place__path__startswith=place.path)
        .order_by("-financial_year")
        .values_list("financial_year", flat=True)
        .distinct()
    )


def cil_report(place: Place, financial_year: int) -> list[CilRow]:
    """Each CIL receipt in or under `place` in a financial year, with how its
    neighbourhood portion was worked out and which budgets hold it."""
    receipts = list(
        CilReceipt.objects.filter(
            place__path__startswith=place.path, financial_year=financial_year
        )
        .select_related("place", "charging_authority")
        .prefetch_related("contributions__budget")
        .order_by("place__path", "half")
    )
    by_area: dict[int, list[CilReceipt]] = {}
    for r in receipts:
        by_area.setdefault(r.place_id, []).append(r)
    portions = {
        r.pk: portion
        for area in by_area.values()
        for r, portion in zip(
            area, cil.portions([r.as_receipt() for r in area]), strict=True
        )
    }
    return [
        CilRow(
            receipt=r,
            portion=portions[r.pk],
            held_pence=sum(c.amount_pence for c in r.contributions.all()),
            budgets=sorted({c.budget.name for c in r.contributions.all()}),
        )
        for r in receipts
    ]


CIL_COLUMNS = (
    "financial_year", "half_year", "area", "gss_code", "charging_authority",
    "developments", "cil_received_pence", "council_tax_dwellings",
    "neighbourhood_plan_made", "percent", "cap_left_pence", "capped",
    "neighbourhood_portion_pence", "passed_to", "in_budgets_pence", "budgets",
    "not_yet_in_a_budget_pence",
)  # fmt: skip


def cil_report_rows(rows: list[CilRow]):
    """The report as spreadsheet rows (amounts in pence, as every download gives)."""
    yield CIL_COLUMNS
    for row in rows:
        r = row.receipt
        yield (
            r.year_label, r.get_half_display(), r.place.name, r.place.gss_code,
            r.charging_authority.name, r.developments, r.receipts_pence, r.dwellings,
            "yes" if r.neighbourhood_plan else "no", row.portion.percent,
            "" if row.portion.cap_left_pence is None else row.portion.cap_left_pence,
            "yes" if row.portion.capped else "no", row.portion.portion_pence,
            row.passed_to, row.held_pence, "; ".join(row.budgets),
            row.not_in_a_budget_pence,
        )  # fmt: skip
