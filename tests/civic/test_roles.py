"""Roles apply down the place tree; the permission module answers for every view."""

import pytest

from civic.models import PlaceKind, RoleKind
from civic.services import role_grant
from tests.factories import UserFactory, grant, make_place

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    county = make_place("Shire", PlaceKind.COUNTY)
    east = make_place("East", PlaceKind.DISTRICT, county)
    west = make_place("West", PlaceKind.DISTRICT, county)
    hood = make_place("Lane End", PlaceKind.NEIGHBOURHOOD, east)
    return county, east, west, hood


def test_officer_role_on_a_county_applies_to_its_neighbourhoods(tree, settings):
    settings.NB_DEMO_MFA_EXEMPT = True
    county, east, west, hood = tree
    officer = UserFactory(is_demo=True)
    grant(officer, county, RoleKind.OFFICER)
    assert officer.has_perm("civic.change_rules", hood)
    assert officer.has_perm("civic.change_rules", west)


def test_role_does_not_apply_upwards_or_sideways(tree, settings):
    settings.NB_DEMO_MFA_EXEMPT = True
    county, east, west, hood = tree
    officer = UserFactory(is_demo=True)
    grant(officer, east, RoleKind.OFFICER)
    assert officer.has_perm("civic.change_rules", hood)
    assert not officer.has_perm("civic.change_rules", county)
    assert not officer.has_perm("civic.change_rules", west)


def test_officer_without_mfa_may_not_act(tree, settings):
    settings.NB_DEMO_MFA_EXEMPT = False
    officer = UserFactory()
    grant(officer, tree[0], RoleKind.OFFICER)
    assert not officer.has_perm("civic.change_rules", tree[3])


def test_officer_with_totp_may_act(tree, settings):
    from allauth.mfa.models import Authenticator

    settings.NB_DEMO_MFA_EXEMPT = False
    officer = UserFactory()
    grant(officer, tree[0], RoleKind.OFFICER)
    Authenticator.objects.create(
        user=officer, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    assert officer.has_perm("civic.change_rules", tree[3])


def test_demo_exemption_needs_debug_flag_and_demo_user(tree, settings):
    settings.NB_DEMO_MFA_EXEMPT = True
    real = UserFactory(is_demo=False)
    grant(real, tree[0], RoleKind.OFFICER)
    assert not real.has_perm("civic.change_rules", tree[0])


@pytest.mark.parametrize(
    "kind", [RoleKind.RESIDENT, RoleKind.ORGANISER, RoleKind.COUNCILLOR]
)
def test_other_roles_cannot_change_rules(tree, settings, kind):
    settings.NB_DEMO_MFA_EXEMPT = True
    user = UserFactory(is_demo=True)
    grant(user, tree[0], kind)
    assert not user.has_perm("civic.change_rules", tree[3])


def test_councillors_and_officers_see_the_audit_log(tree, settings):
    settings.NB_DEMO_MFA_EXEMPT = True
    councillor, resident = UserFactory(is_demo=True), UserFactory(is_demo=True)
    grant(councillor, tree[1], RoleKind.COUNCILLOR)
    grant(resident, tree[3], RoleKind.RESIDENT)
    assert councillor.has_perm("civic.view_audit", tree[3])
    assert not resident.has_perm("civic.view_audit", tree[3])


def test_resident_role_needs_a_verification_method(tree):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        role_grant(
            actor=None, user=UserFactory(), place=tree[3], kind=RoleKind.RESIDENT
        )
    role = role_grant(
        actor=None,
        user=UserFactory(),
        place=tree[3],
        kind=RoleKind.RESIDENT,
        verification_method="code",
    )
    assert role.verification_method == "code"
