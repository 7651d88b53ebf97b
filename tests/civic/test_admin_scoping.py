"""Officers manage only their own places' records in the Wagtail admin."""

import pytest
from django.urls import reverse

from civic.models import Budget, Place, PlaceKind, PublicBody, RoleKind
from tests.admin_answers import refused_by_the_admin, sent_to_admin_sign_in
from tests.factories import (
    BodyFactory,
    BudgetFactory,
    ContributionFactory,
    UserFactory,
    grant,
    make_place,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(settings):
    """A county with two districts, each with a neighbourhood and its budget; an
    officer for the county and a resident of one neighbourhood."""
    settings.NB_DEMO_MFA_EXEMPT = True
    county = make_place("Shire", PlaceKind.COUNTY)
    east = make_place("East", PlaceKind.DISTRICT, county)
    west = make_place("West", PlaceKind.DISTRICT, county)
    places = {"county": county, "east": east, "west": west}
    for parent, name in ((east, "Mill End"), (west, "River Side")):
        parent.refresh_from_db()
        place = make_place(name, PlaceKind.NEIGHBOURHOOD, parent)
        places[place.slug] = place
        budget = BudgetFactory(place=place, name=f"{name} budget")
        ContributionFactory(budget=budget, body=BodyFactory())
    people = {"officer": UserFactory(is_demo=True), "resident": UserFactory()}
    grant(people["officer"], county, RoleKind.OFFICER)
    grant(people["resident"], places["mill-end"])
    return {**places, **people}


@pytest.fixture
def east_officer(tree):
    user = UserFactory(is_demo=True)
    grant(user, tree["east"], RoleKind.OFFICER)
    return user


def test_officer_sees_and_edits_only_their_budgets(client, east_officer):
    client.force_login(east_officer)
    listing = client.get(reverse("wagtailsnippets_civic_budget:list")).content.decode()
    assert "Mill End budget" in listing and "River Side budget" not in listing
    mine = Budget.objects.get(place__slug="mill-end")
    theirs = Budget.objects.get(place__slug="river-side")
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
        "place": Place.objects.get(slug="river-side").pk,
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
                args=[Place.objects.get(slug="mill-end").pk],
            )
        ).status_code
        == 200
    )


def test_officer_without_mfa_and_residents_are_kept_out(client, tree, settings):
    settings.NB_DEMO_MFA_EXEMPT = False
    client.force_login(tree["officer"])
    url = reverse("wagtailsnippets_civic_budget:list")
    refused_by_the_admin(client.get(url))
    settings.NB_DEMO_MFA_EXEMPT = True
    client.force_login(tree["resident"])
    sent_to_admin_sign_in(client.get(url), url)
