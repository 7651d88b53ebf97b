"""Reads in the civic domain, shaped for pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from wagtail import hooks

from .framework import resolve_rules
from .models import (
    BoundaryGeneration,
    Budget,
    FrameworkRules,
    Place,
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
    """TOTP set up, or a demo account while DEBUG is on (seed_demo's logins)."""
    if not user.is_authenticated:
        return False
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


def budget_breakdown(budget: Budget) -> list[BodyShare]:
    """Money in by body, largest first, with each body's ring-fenced portions."""
    total = budget.total_pence or 0
    by_body: dict[int, BodyShare] = {}
    for c in budget.contributions.all():
        share = by_body.setdefault(c.body_id, BodyShare(c.body, 0, 0.0, []))
        share.amount_pence += c.amount_pence
        if c.ring_fenced_pence:
            share.ring_fenced.append((c.ring_fence_category, c.ring_fenced_pence))
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
