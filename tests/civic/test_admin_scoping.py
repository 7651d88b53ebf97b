"""Officers manage only their own places' records in the Wagtail admin."""

import pytest
from django.urls import reverse

from civic.models import Budget, Place, PublicBody, Role, User
from tests.admin_answers import refused_by_the_admin, sent_to_admin_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def east_officer(demo, settings):
    settings.NB_DEMO_MFA_EXEMPT = True
    user = User.objects.create_user(
        email="east@example.org", password="x-long-pass-1", is_demo=True
    )
    Role.objects.create(
        user=user, place=Place.objects.get(slug="eastbrook"), kind="officer"
    )
    return user


def test_officer_sees_and_edits_only_their_budgets(client, east_officer):
    client.force_login(east_officer)
    listing = client.get(reverse("wagtailsnippets_civic_budget:list")).content.decode()
    assert (
        "Old Mill neighbourhood budget" in listing
        and "Riverside North neighbourhood budget" not in listing
    )
    mine = Budget.objects.filter(place__slug="old-mill").first()
    theirs = Budget.objects.filter(place__slug="riverside-north").first()
    assert (
        client.get(
            reverse("wagtailsnippets_civic_budget:edit", args=[mine.pk])
        ).status_code
        == 200
    )
    refused = client.get(reverse("wagtailsnippets_civic_budget:edit", args=[theirs.pk]))
    # Wagtail answers a refusal by sending you back to the dashboard with a message.
    refused_by_the_admin(refused)
    assert client.get(reverse("wagtailsnippets_civic_budget:add")).status_code == 200


def test_officer_cannot_create_a_budget_for_another_place(client, east_officer):
    client.force_login(east_officer)
    body = PublicBody.objects.first()
    data = {
        "place": Place.objects.get(slug="riverside-north").pk,
        "name": "Sneaky",
        "period_start": "2030-04-01",
        "period_end": "2031-03-31",
        "notes": "",
        "contributions-TOTAL_FORMS": "1",
        "contributions-INITIAL_FORMS": "0",
        "contributions-MIN_NUM_FORMS": "1",
        "contributions-MAX_NUM_FORMS": "1000",
        "contributions-0-body": body.pk,
        "contributions-0-amount_pence": "100",
        "contributions-0-ring_fence_category": "",
        "contributions-0-ring_fenced_pence": "0",
        "contributions-0-note": "",
        "contributions-0-ORDER": "1",
        "contributions-0-id": "",
        "contributions-0-DELETE": "",
    }
    client.post(reverse("wagtailsnippets_civic_budget:add"), data)
    assert not Budget.objects.filter(name="Sneaky").exists()


def test_places_are_added_by_administrators_only(client, east_officer):
    client.force_login(east_officer)
    refused_by_the_admin(client.get(reverse("wagtailsnippets_civic_place:add")))
    assert (
        client.get(
            reverse(
                "wagtailsnippets_civic_place:edit",
                args=[Place.objects.get(slug="old-mill").pk],
            )
        ).status_code
        == 200
    )


def test_officer_without_mfa_and_residents_are_kept_out(client, demo, settings):
    settings.NB_DEMO_MFA_EXEMPT = False
    client.force_login(User.objects.get(email="officer@example.org"))
    url = reverse("wagtailsnippets_civic_budget:list")
    refused_by_the_admin(client.get(url))
    settings.NB_DEMO_MFA_EXEMPT = True
    client.force_login(User.objects.get(email="resident@example.org"))
    sent_to_admin_sign_in(client.get(url), url)
