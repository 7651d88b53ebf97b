"""Every permission is declared once, with `civic.permissions.declare`, in the
permissions module of the app whose name it carries; and for every permission a
councillor or officer role grants, one holding that role without two-factor sign-in is
sent to set it up (never a bare 403), and is allowed once it is set up."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import rules
from django.test import RequestFactory

from civic.access import require
from civic.middleware import MfaRequired
from civic.models import PlaceKind, RoleKind
from civic.permissions import Declared
from tests.factories import UserFactory, grant, make_place

ROOT = Path(__file__).resolve().parents[2]
APPS = ("civic", "forums", "ballots", "accountability", "cms")
DECLARE = re.compile(r'declare\(\s*"([a-z_]+\.[a-z_]+)"')


def declarations() -> dict[str, list[str]]:
    """Each permission name → the files (relative) whose code declares it."""
    found: dict[str, list[str]] = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            for name in DECLARE.findall(path.read_text()):
                found.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return found


def test_every_registered_permission_is_declared_once_by_its_own_app():
    found = declarations()
    registered = dict(rules.permissions.permissions)
    assert sorted(found) == sorted(registered)
    for name, rule in registered.items():
        assert isinstance(rule, Declared), name
        app = name.split(".")[0]
        owner = "civic" if app == "wagtailadmin" else app
        assert found[name] == [f"{owner}/permissions.py"], name


def test_no_permission_is_added_any_other_way():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path.relative_to(ROOT) != Path("civic/permissions.py"):  # `declare`
                assert "add_perm(" not in path.read_text(), path


def _private_thing(place):
    """An object on `place` that nothing but a role opens: not public, not published,
    no author, its vote not over, its thread open."""
    return SimpleNamespace(
        place=place,
        is_public=False,
        hidden=False,
        author_id=None,
        published_at=None,
        phase="voting",
        archived=False,
        comments_locked=False,
    )


MFA_KINDS = (RoleKind.COUNCILLOR, RoleKind.OFFICER)
NEEDING_MFA = sorted(
    (name, kind)
    for name, rule in rules.permissions.permissions.items()
    for kind in MFA_KINDS
    if kind in getattr(rule, "roles", ())
)


def test_the_two_factor_permissions_are_the_ones_councillors_and_officers_hold():
    """Written out by hand: which permissions a councillor's or officer's role grants
    (each needs two-factor sign-in)."""
    assert NEEDING_MFA == [
        ("accountability.attribute_funding", "officer"),
        ("accountability.post_milestone", "officer"),
        ("accountability.record_benefit", "officer"),
        ("accountability.record_decision", "councillor"),
        ("accountability.view_decision", "councillor"),
        ("accountability.view_decision", "officer"),
        ("ballots.enter_paper", "officer"),
        ("ballots.export", "officer"),
        ("ballots.manage_codes", "officer"),
        ("ballots.manage_cycle", "officer"),
        ("ballots.run_polling_point", "officer"),
        ("civic.change_boundaries", "officer"),
        ("civic.change_budget", "officer"),
        ("civic.change_rules", "officer"),
        ("civic.keep_reference_data", "officer"),
        ("civic.manage_roles", "officer"),
        ("civic.view_audit", "councillor"),
        ("civic.view_audit", "officer"),
        ("cms.change_councildetails", "officer"),
        ("forums.moderate", "councillor"),
        ("forums.set_up_forum", "officer"),
        ("forums.view_proposal", "councillor"),
        ("forums.view_proposal", "officer"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("name,kind", NEEDING_MFA)
def test_without_two_factor_the_holder_is_sent_to_set_it_up(name, kind, settings):
    settings.NB_DEMO_MFA_EXEMPT = True
    county = make_place("Shire", PlaceKind.COUNTY)
    county.refresh_from_db()
    thing = _private_thing(county)
    request = RequestFactory().get("/")
    request.user = UserFactory(is_demo=False)
    grant(request.user, county, kind)
    with pytest.raises(MfaRequired):
        require(request, name, thing)
    # With two-factor sign-in (the demo's exemption stands for it) it is granted.
    request.user = UserFactory(is_demo=True)
    grant(request.user, county, kind)
    require(request, name, thing)


LAYERS = ["civic", "forums", "ballots", "accountability", "cms"]  # lowest first


def test_no_app_asks_a_permission_of_an_app_above_it():
    """A permission is asked where its app, or one above it, is: a lower layer never
    names a higher one's permission (it would depend on it without importing it)."""
    names = set(rules.permissions.permissions)
    upward = []
    for app in LAYERS:
        for path in (ROOT / app).rglob("*.py"):
            for name in re.findall(r'"([a-z_]+\.[a-z_]+)"', path.read_text()):
                owner = name.split(".")[0]
                if name in names and owner in LAYERS:
                    if LAYERS.index(owner) > LAYERS.index(app):
                        upward.append(f"{path.relative_to(ROOT)}: {name}")
    assert upward == []
