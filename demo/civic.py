"""Demo data for the civic domain: a county with districts, wards, neighbourhoods,
bodies, budgets, rules and a user for every role. Idempotent: safe to run again."""

from __future__ import annotations

import datetime as dt
import math
import random

from allauth.account.models import EmailAddress
from django.db import transaction

from civic import cil
from civic.models import (
    BallotMethod,
    BoundaryGeneration,
    Budget,
    Category,
    CilReceipt,
    Contribution,
    FrameworkRules,
    Place,
    PlaceKind,
    PublicBody,
    Role,
    RoleKind,
    ShortlistMethod,
    TallyRule,
    User,
    VerificationMethod,
)
from civic.services import boundaries_in_force, cil_receipt_save

DEMO_PASSWORD = "demo-pass-2026"

PLACES = {
    "slug": "northshire",
    "gss": "E10000099",
    "name": "Northshire",
    "kind": PlaceKind.COUNTY,
    "summary": "A county of market towns, river valleys and villages, devolving part of "
    "its spending on local services to the neighbourhoods that use them.",
    "postcode_areas": "",
    "children": [
        {
            "slug": "eastbrook",
            "gss": "E07000991",
            "name": "Eastbrook District",
            "kind": PlaceKind.DISTRICT,
            "children": [
                {
                    "slug": "millbrook-ward",
                    "gss": "E05099101",
                    "name": "Millbrook Ward",
                    "kind": PlaceKind.WARD,
                    "children": [
                        {
                            "slug": "old-mill",
                            "name": "Old Mill",
                            "kind": PlaceKind.NEIGHBOURHOOD,
                            "postcode_areas": "NB1 2, NB1 3",
                            "summary": "Terraced streets around the restored mill and "
                            "the primary school.",
                        },
                        {
                            "slug": "canal-side",
                            "name": "Canal Side",
                            "kind": PlaceKind.NEIGHBOURHOOD,
                            "postcode_areas": "NB1 4, NB1 5",
                            "summary": "New flats and old boatyards along the canal towpath.",
                        },
                    ],
                },
                {
                    "slug": "castle-ward",
                    "gss": "E05099102",
                    "name": "Castle Ward",
                    "kind": PlaceKind.WARD,
                    "children": [
                        {
                            "slug": "castle-green",
                            "name": "Castle Green",
                            "kind": PlaceKind.NEIGHBOURHOOD,
                            "postcode_areas": "NB2 1, NB2 2",
                            "summary": "The old town centre under the castle mound.",
                        }
                    ],
                },
            ],
        },
        {
            "slug": "westmere",
            "gss": "E07000992",
            "name": "Westmere District",
            "kind": PlaceKind.DISTRICT,
            "children": [
                {
                    "slug": "riverside-ward",
                    "gss": "E05099201",
                    "name": "Riverside Ward",
                    "kind": PlaceKind.WARD,
                    "children": [
                        {
                            "slug": "riverside-north",
                            "name": "Riverside North",
                            "kind": PlaceKind.NEIGHBOURHOOD,
                            "postcode_areas": "NB3 1",
                            "summary": "Estates either side of the ring road, with the "
                            "county's busiest GP surgery.",
                        },
                        {
                            "slug": "riverside-south",
                            "name": "Riverside South",
                            "kind": PlaceKind.NEIGHBOURHOOD,
                            "postcode_areas": "NB3 2",
                            "summary": "Water meadows, allotments and the leisure centre.",
                        },
                    ],
                },
                {
                    "slug": "hillcrest-parish",
                    "gss": "E04099201",
                    "name": "Hillcrest Parish",
                    "kind": PlaceKind.PARISH,
                    "children": [
                        {
                            "slug": "hillcrest-village",
                            "name": "Hillcrest Village",
                            "kind": PlaceKind.NEIGHBOURHOOD,
                            "postcode_areas": "NB4",
                            "summary": "A hilltop village with one shop, one pub and a "
                            "bus every two hours.",
                        }
                    ],
                },
            ],
        },
    ],
}

BODIES = [
    ("northshire-county-council", "Northshire County Council", "council"),
    ("northshire-nhs-icb", "NHS Northshire Integrated Care Board", "nhs"),
    ("northshire-police", "Northshire Police", "police"),
    ("northshire-homes", "Northshire Homes", "housing"),
    ("eastbrook-district-council", "Eastbrook District Council", "council"),
]

CATEGORIES = [
    ("youth", "Youth", "#2f7fb5"),
    ("environment", "Environment", "#1f6b4a"),
    ("health-care", "Health & care", "#c9652c"),
    ("transport", "Transport", "#7b5ea7"),
    ("community-safety", "Community safety", "#b58a1f"),
    ("culture", "Culture & heritage", "#4d8f8c"),
]

# Contributions in pounds per neighbourhood: council, NHS, police, housing.
BUDGET_NAME = {
    PlaceKind.NEIGHBOURHOOD: "neighbourhood budget",
    PlaceKind.WARD: "ward-wide budget",
    PlaceKind.DISTRICT: "district-wide budget",
}

FUNDING = {
    "old-mill": (30000, 12000, 5000, 8000, 0),
    "canal-side": (25000, 6000, 6000, 10000, 0),
    "castle-green": (28000, 5000, 9000, 0, 0),
    "riverside-north": (32000, 15000, 7000, 12000, 0),
    "riverside-south": (20000, 4000, 3000, 5000, 0),
    "hillcrest-village": (15000, 3000, 2000, 0, 0),
    # Money spent across a whole ward or district, beside the neighbourhoods' own.
    "millbrook-ward": (24000, 6000, 0, 0, 0),
    "eastbrook": (50000, 12000, 6000, 8000, 0),
}

USERS = [
    ("resident@example.org", "Rosa Resident", RoleKind.RESIDENT, "old-mill", "NB1 2AB"),
    (
        "organiser@example.org",
        "Omar Organiser",
        RoleKind.ORGANISER,
        "millbrook-ward",
        "NB1 3CD",
    ),
    (
        "councillor@example.org",
        "Cllr Chris Cooper",
        RoleKind.COUNCILLOR,
        "eastbrook",
        "NB2 1EF",
    ),
    ("officer@example.org", "Olive Officer", RoleKind.OFFICER, "northshire", ""),
    (
        "neighbour@example.org",
        "Nina Neighbour",
        RoleKind.RESIDENT,
        "canal-side",
        "NB1 4GH",
    ),
    (
        "westmere@example.org",
        "Wes Westmere",
        RoleKind.RESIDENT,
        "riverside-north",
        "NB3 1JK",
    ),
    (
        "supporter@example.org",
        "Sam Supporter",
        RoleKind.RESIDENT,
        "castle-green",
        "NB2 5LM",
    ),
]


def _place(spec: dict, parent: Place | None) -> Place:
    place = Place.objects.filter(slug=spec["slug"]).first()
    fields = {
        "name": spec["name"],
        "kind": spec["kind"],
        "summary": spec.get("summary", ""),
        "postcode_areas": spec.get("postcode_areas", ""),
        "gss_code": spec.get("gss", ""),
    }
    if place is None:
        place = (
            parent.add_child(slug=spec["slug"], **fields)
            if parent
            else Place.add_root(slug=spec["slug"], **fields)
        )
    elif not place.gss_code and fields["gss_code"]:
        place.gss_code = fields["gss_code"]
        place.save(update_fields=["gss_code"])
    for child in spec.get("children", []):
        _place(child, place)
    return place


# The demo county's map: each place a box of (west, south, east, north) in degrees,
# drawn with gently wavy edges (one smooth warp of the plane, so neighbours still
# share their borders and every place stays inside its parent).
AREAS = {
    "northshire": (-2.00, 53.90, -1.60, 54.10),
    "eastbrook": (-1.80, 53.90, -1.60, 54.10),
    "millbrook-ward": (-1.80, 54.00, -1.60, 54.10),
    "old-mill": (-1.80, 54.00, -1.70, 54.10),
    "canal-side": (-1.70, 54.00, -1.60, 54.10),
    "castle-ward": (-1.80, 53.90, -1.60, 54.00),
    "castle-green": (-1.80, 53.90, -1.60, 54.00),
    "westmere": (-2.00, 53.90, -1.80, 54.10),
    "riverside-ward": (-2.00, 54.00, -1.80, 54.10),
    "riverside-north": (-2.00, 54.05, -1.80, 54.10),
    "riverside-south": (-2.00, 54.00, -1.80, 54.05),
    "hillcrest-parish": (-2.00, 53.90, -1.80, 54.00),
    "hillcrest-village": (-2.00, 53.90, -1.80, 54.00),
}


def warp(x: float, y: float) -> list[float]:
    return [
        round(x + 0.006 * math.sin(y * 90), 6),
        round(y + 0.004 * math.sin(x * 70), 6),
    ]


def demo_boundary(area: tuple[float, float, float, float]) -> dict:
    west, south, east, north = area
    steps = 16
    ring = (
        [(west + (east - west) * i / steps, south) for i in range(steps)]
        + [(east, south + (north - south) * i / steps) for i in range(steps)]
        + [(east - (east - west) * i / steps, north) for i in range(steps)]
        + [(west, north - (north - south) * i / steps) for i in range(steps)]
    )
    points = [warp(x, y) for x, y in ring]
    return {"type": "Polygon", "coordinates": [points + [points[0]]]}


def demo_point(slug: str, rng: random.Random) -> tuple[float, float]:
    """A random (latitude, longitude) well inside the place."""
    west, south, east, north = AREAS[slug]
    x = west + (east - west) * rng.uniform(0.15, 0.85)
    y = south + (north - south) * rng.uniform(0.15, 0.85)
    lon, lat = warp(x, y)
    return lat, lon


def period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The UK financial year containing `today`."""
    start_year = today.year if today.month >= 4 else today.year - 1
    return dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31)


# The demo's boundary change: half a year ago the line between Old Mill and Canal Side
# moved east to take in the streets round the mill race, so last year's Canal Side
# vote keeps the wider Canal Side it was run under.
BEFORE_THE_CHANGE = {
    "old-mill": (-1.80, 54.00, -1.72, 54.10),
    "canal-side": (-1.72, 54.00, -1.60, 54.10),
}
BOUNDARY_ORDER = "The Northshire (Electoral Changes) Order (demo)"


@transaction.atomic
def seed_boundaries(today: dt.date) -> None:
    """Each place's first boundaries and, for Old Mill and Canal Side, a second
    generation from the day of the boundary change."""
    changed_on = today - dt.timedelta(days=180)
    for place in Place.objects.filter(slug__in=AREAS):
        first = BEFORE_THE_CHANGE.get(place.slug, AREAS[place.slug])
        BoundaryGeneration.objects.get_or_create(
            place=place,
            valid_from=None,
            defaults={"geometry": demo_boundary(first), "source": "Northshire GIS"},
        )
        if place.slug in BEFORE_THE_CHANGE and not place.boundary_generations.filter(
            valid_from__isnull=False
        ):
            BoundaryGeneration.objects.create(
                place=place,
                valid_from=changed_on,
                geometry=demo_boundary(AREAS[place.slug]),
                source=BOUNDARY_ORDER,
            )
    boundaries_in_force(on=today)


# The demo's CIL: the canal basin flats paid the district council CIL in the first half
# of this financial year. Canal Side has no parish council and no neighbourhood plan, so
# its neighbourhood portion is 15%, capped at £100 for each of its 160 homes, and the
# council spends it with the community: £12,000 of it in this year's budget.
CIL_RECEIPT = {
    "receipts_pence": 180_000_00,
    "dwellings": 160,
    "neighbourhood_plan": False,
    "developments": "24/01877/FUL (Canal Basin, 64 flats)",
}
CIL_IN_THE_BUDGET_PENCE = 12_000_00


def seed_cil(today: dt.date) -> None:
    canal = Place.objects.get(slug="canal-side")
    year = cil.financial_year(today)
    receipt = CilReceipt.objects.filter(
        place=canal, financial_year=year, half=cil.FIRST_HALF
    ).first()
    if receipt is None:
        receipt = cil_receipt_save(
            CilReceipt(
                place=canal,
                charging_authority=PublicBody.objects.get(
                    slug="eastbrook-district-council"
                ),
                financial_year=year,
                half=cil.FIRST_HALF,
                **CIL_RECEIPT,
            )
        )
    budget = Budget.objects.filter(place=canal).current(today).first()
    if budget is not None and not budget.contributions.filter(cil_receipt=receipt):
        Contribution.objects.create(
            budget=budget,
            body=receipt.charging_authority,
            cil_receipt=receipt,
            amount_pence=CIL_IN_THE_BUDGET_PENCE,
            note="Community Infrastructure Levy, neighbourhood portion",
        )


def seed_civic(today: dt.date | None = None) -> dict:
    today = today or dt.date.today()
    _place(PLACES, None)
    seed_boundaries(today)
    bodies = {}
    for slug, name, kind in BODIES:
        bodies[slug], _ = PublicBody.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind}
        )
    categories = {}
    for slug, name, colour in CATEGORIES:
        categories[slug], _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "colour": colour}
        )

    start, end = period(today)
    prev_start, prev_end = period(start - dt.timedelta(days=1))
    body_order = [b[0] for b in BODIES]
    for slug, amounts in FUNDING.items():
        place = Place.objects.get(slug=slug)
        for p_start, p_end, scale, label in (
            (start, end, 1.0, f"{start.year}/{str(end.year)[2:]}"),
            (prev_start, prev_end, 0.8, f"{prev_start.year}/{str(prev_end.year)[2:]}"),
        ):
            budget, created = Budget.objects.get_or_create(
                place=place,
                period_start=p_start,
                defaults={
                    "name": f"{place.name} {BUDGET_NAME[place.kind]} {label}",
                    "period_end": p_end,
                },
            )
            if not created:
                continue
            for body_slug, pounds in zip(body_order, amounts, strict=True):
                if not pounds:
                    continue
                fence = {}
                if (
                    slug == "old-mill"
                    and body_slug == "northshire-nhs-icb"
                    and scale == 1.0
                ):
                    # The demo's ring-fence: the NHS money must fund health & care.
                    fence = {
                        "ring_fence_category": categories["health-care"],
                        "ring_fenced_pence": 10000_00,
                    }
                Contribution.objects.create(
                    budget=budget,
                    body=bodies[body_slug],
                    amount_pence=int(pounds * scale) * 100,
                    **fence,
                )

    county = Place.objects.get(slug="northshire")
    FrameworkRules.objects.update_or_create(
        place=county,
        defaults={
            "min_age": 16,
            "residency_required": True,
            "verification_methods": [m.value for m in VerificationMethod],
            "project_cost_min_pence": 500_00,
            "project_cost_max_pence": 25000_00,
            "max_share_percent": 50,
            "ballot_method": BallotMethod.APPROVAL,
            "min_choices": 1,
            "max_choices": 5,
            "tally_rule": TallyRule.EQUAL_SHARES,
            "live_results": True,
            "allow_replacement": True,
            "randomise_order": True,
            "voting_scope": "own",
            "locked_fields": ["min_age", "residency_required"],
        },
    )
    FrameworkRules.objects.update_or_create(
        place=Place.objects.get(slug="old-mill"),
        defaults={
            # The neighbourhood override: a budget ballot spending at least half.
            "ballot_method": BallotMethod.KNAPSACK,
            "min_spend_percent": 50,
            "max_choices": None,
            "ring_fences": {"health-care": 10000_00},
        },
    )

    # The ward votes with ranked ballots, the district with points: with the county's
    # approval and Old Mill's budget ballot, every ballot method has a demo vote.
    FrameworkRules.objects.update_or_create(
        place=Place.objects.get(slug="millbrook-ward"),
        defaults={"ballot_method": BallotMethod.RANKED, "max_ranked": 3},
    )
    FrameworkRules.objects.update_or_create(
        place=Place.objects.get(slug="eastbrook"),
        defaults={"ballot_method": BallotMethod.POINTS, "points_per_voter": 10},
    )
    FrameworkRules.objects.update_or_create(
        place=Place.objects.get(slug="canal-side"),
        defaults={"ballot_method": BallotMethod.APPROVAL},
    )
    # Castle Green builds its shortlist from residents' supports: 3 each, and the 4
    # most supported proposals go on the ballot.
    FrameworkRules.objects.update_or_create(
        place=Place.objects.get(slug="castle-green"),
        defaults={
            "supports_phase": True,
            "supports_per_resident": 3,
            "shortlist_method": ShortlistMethod.TOP,
            "shortlist_size": 4,
        },
    )

    seed_cil(today)

    users = {}
    for email, name, kind, place_slug, postcode in USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                display_name=name,
                postcode=postcode,
                year_of_birth=1984,
                is_demo=True,
                is_staff=kind
                in (RoleKind.OFFICER, RoleKind.COUNCILLOR, RoleKind.ORGANISER),
            )
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        Role.objects.get_or_create(
            user=user,
            place=Place.objects.get(slug=place_slug),
            kind=kind,
            defaults={
                "verification_method": VerificationMethod.POSTCODE
                if kind == RoleKind.RESIDENT
                else ""
            },
        )
        users[email] = user
    admin = User.objects.filter(email="admin@example.org").first()
    if admin is None:
        admin = User.objects.create_superuser(
            email="admin@example.org",
            password=DEMO_PASSWORD,
            display_name="Site admin",
            is_demo=True,
        )
    EmailAddress.objects.update_or_create(
        user=admin, email=admin.email, defaults={"verified": True, "primary": True}
    )
    users[admin.email] = admin
    return users
