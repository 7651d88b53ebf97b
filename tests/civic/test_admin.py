"""The civic back office in the Wagtail admin."""

import pytest
from django.urls import reverse

from civic.models import Budget, Place, PlaceKind, RoleKind, User
from tests.admin_answers import sent_to_admin_sign_in
from tests.factories import BodyFactory, UserFactory, grant, make_place

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(settings):
    """A county (its officer), a ward and a neighbourhood in it (its resident)."""
    settings.NB_DEMO_MFA_EXEMPT = True
    county = make_place("Shire", PlaceKind.COUNTY)
    ward = make_place("Castle Ward", PlaceKind.WARD, county)
    ward.refresh_from_db()
    hood = make_place("Castle Green", PlaceKind.NEIGHBOURHOOD, ward)
    officer, resident = UserFactory(is_demo=True), UserFactory()
    grant(officer, county, RoleKind.OFFICER)
    grant(resident, hood)
    BodyFactory()
    return {"ward": ward, "hood": hood, "officer": officer, "resident": resident}


@pytest.fixture
def admin_client(client, tree):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_admin_adds_a_place_under_its_parent(admin_client, tree):
    parent = tree["ward"]
    url = reverse("wagtailsnippets_civic_place:add")
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "parent": parent.pk,
            "name": "Keep Street",
            "slug": "keep-street",
            "kind": "neighbourhood",
            "summary": "",
            "postcode_areas": "NB2 3",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    place = Place.objects.get(slug="keep-street")
    assert place.get_parent() == parent


def test_admin_budget_with_contributions(admin_client, tree):
    place = tree["hood"]
    from civic.models import PublicBody

    body = PublicBody.objects.first()
    url = reverse("wagtailsnippets_civic_budget:add")
    data = {
        "place": place.pk,
        "name": "Extra",
        "period_start": "2030-04-01",
        "period_end": "2031-03-31",
        "notes": "",
        "contributions-TOTAL_FORMS": "1",
        "contributions-INITIAL_FORMS": "0",
        "contributions-MIN_NUM_FORMS": "1",
        "contributions-MAX_NUM_FORMS": "1000",
        "contributions-0-body": body.pk,
        "contributions-0-amount_pence": "1234",  # typed in pounds
        "contributions-0-ring_fence_category": "",
        "contributions-0-ring_fenced_pence": "0",
        "contributions-0-note": "",
        "contributions-0-ORDER": "1",
        "contributions-0-id": "",
        "contributions-0-DELETE": "",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Budget.objects.with_totals().get(name="Extra").total_pence == 1234_00


def test_residents_cannot_reach_the_admin(client, tree):
    client.force_login(tree["resident"])
    response = client.get(reverse("wagtailsnippets_civic_place:list"))
    sent_to_admin_sign_in(response, reverse("wagtailsnippets_civic_place:list"))


def _role_form(user, place, kind, method):
    return {
        "user": user.pk,
        "place": place.pk,
        "kind": kind,
        "verification_method": method,
    }


def test_admin_role_grant_is_validated_and_audited(client, tree):
    """A role given, changed or removed in the admin goes through the role services:
    a resident needs a verification method, and each write is in the audit log."""
    from civic.models import AuditEntry, Role

    officer = tree["officer"]
    client.force_login(officer)
    person = User.objects.create_user(email="new@example.org", password="x-12345678")
    place = tree["hood"]
    add = reverse("wagtailsnippets_civic_role:add")

    refused = client.post(add, _role_form(person, place, "resident", ""))
    assert refused.status_code == 200
    assert "A resident&#x27;s verification method must be recorded." in (
        refused.content.decode()
    )
    assert not Role.objects.filter(user=person).exists()
    assert not AuditEntry.objects.filter(action="role.grant", place=place).exists()

    granted = client.post(add, _role_form(person, place, "resident", "postcode"))
    assert granted.status_code == 302
    role = Role.objects.get(user=person)
    assert (role.kind, role.verification_method, role.granted_by) == (
        "resident",
        "postcode",
        officer,
    )
    entry = AuditEntry.objects.get(action="role.grant", object_id=str(role.pk))
    assert entry.actor == officer and entry.data["method"] == "postcode"

    edit = reverse("wagtailsnippets_civic_role:edit", args=[role.pk])
    changed = client.post(edit, _role_form(person, place, "resident", "code"))
    assert changed.status_code == 302
    entry = AuditEntry.objects.get(action="role.change", object_id=str(role.pk))
    assert entry.data == {"method": {"from": "postcode", "to": "code"}}
    cleared = client.post(edit, _role_form(person, place, "resident", ""))
    assert cleared.status_code == 200
    assert Role.objects.get(pk=role.pk).verification_method == "code"

    delete = reverse("wagtailsnippets_civic_role:delete", args=[role.pk])
    assert client.get(delete).status_code == 200  # the confirmation page
    assert Role.objects.filter(pk=role.pk).exists()
    removed = client.post(delete)
    assert removed.status_code == 302
    assert removed["Location"] == reverse("wagtailsnippets_civic_role:list")
    assert not Role.objects.filter(pk=role.pk).exists()
    assert AuditEntry.objects.filter(
        action="role.revoke", object_id=str(role.pk), actor=officer
    ).exists()
