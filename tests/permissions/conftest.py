"""Per-permission tests, one file per permission, as a4-meinberlin does: each file
writes out by hand, for every role and every phase of the place's cycle, whether the
permission is granted. Nothing here asks the permission module what to expect."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ballots.models import Cycle, Phase
from civic.models import PlaceKind, RoleKind
from tests.factories import (
    CycleFactory,
    ForumFactory,
    UserFactory,
    grant,
    make_place,
)

PHASES = [p.value for p in Phase]
ROLES = [
    "anonymous",
    "resident",
    "outsider",
    "organiser",
    "councillor",
    "officer",
    "officer_no_mfa",
]


def table(rows: dict[str, str]) -> list[tuple[str, str, bool]]:
    """{role: "Y - Y …"} (one mark per phase, in PHASES order) → test cases."""
    assert sorted(rows) == sorted(ROLES)
    cases = []
    for role, marks in rows.items():
        marks = marks.split()
        assert len(marks) == len(PHASES), role
        cases += [
            (role, phase, mark == "Y")
            for phase, mark in zip(PHASES, marks, strict=True)
        ]
    return cases


@pytest.fixture
def place_world(db, settings):
    """A county with a neighbourhood (its forum and a cycle) and a second one."""
    settings.NB_DEMO_MFA_EXEMPT = True  # demo users count as having two-factor auth
    county = make_place("Shire", PlaceKind.COUNTY)
    hood = make_place("Lane End", PlaceKind.NEIGHBOURHOOD, county)
    other = make_place("Far Field", PlaceKind.NEIGHBOURHOOD, county)
    for place in (county, hood, other):
        place.refresh_from_db()
    people = {"anonymous": AnonymousUser()}
    for role, place, kind, demo in (
        ("resident", hood, RoleKind.RESIDENT, True),
        ("outsider", other, RoleKind.RESIDENT, True),
        ("organiser", hood, RoleKind.ORGANISER, True),
        ("councillor", county, RoleKind.COUNCILLOR, True),
        ("officer", county, RoleKind.OFFICER, True),
        ("officer_no_mfa", county, RoleKind.OFFICER, False),
    ):
        people[role] = UserFactory(is_demo=demo)
        grant(people[role], place, kind)
    forum = ForumFactory(place=hood)
    cycle = CycleFactory(place=hood, phase=Phase.IDEAS)
    return {"people": people, "hood": hood, "forum": forum, "cycle": cycle}


@pytest.fixture
def in_phase(place_world):
    def _in(phase):
        cycle = place_world["cycle"]
        Cycle.objects.filter(pk=cycle.pk).update(phase=phase)
        cycle.refresh_from_db()
        return cycle

    return _in
