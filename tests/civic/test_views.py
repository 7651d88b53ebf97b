"""Public pages render; officer actions are closed to anonymous users and residents."""

import pytest
from django.urls import reverse

from civic.models import FrameworkRules, Place, PlaceKind, RoleKind
from tests.admin_answers import refused_by_the_admin
from tests.factories import (
    BodyFactory,
    BudgetFactory,
    CategoryFactory,
    ContributionFactory,
    UserFactory,
    grant,
    make_place,
)

pytestmark = pytest.mark.django_db


def _place(name, kind, parent, **fields):
    parent.refresh_from_db()  # the tree counts its children on the parent row
    return make_place(name, kind, parent, **fields)


@pytest.fixture
def shire(settings):
    """Shire county (its rules: minimum age 16, locked; projects up to £25,000), two
    districts, and in East a ward with two neighbourhoods, one with a budget from
    two bodies, part ring-fenced; a resident, an officer of the county, a councillor
    of East and a neighbour; and a village in West."""
    settings.NB_DEMO_MFA_EXEMPT = True
    county = make_place("Shire", PlaceKind.COUNTY)
    east = _place("East District", PlaceKind.DISTRICT, county, slug="east")
    west = _place("West District", PlaceKind.DISTRICT, county, slug="west")
    ward = _place("Mill Ward", PlaceKind.WARD, east)
    mill = _place("Mill End", PlaceKind.NEIGHBOURHOOD, ward, postcode_areas="NB1 2")
    canal = _place("Canal End", PlaceKind.NEIGHBOURHOOD, ward, postcode_areas="NB1 4")
    river = _place("River South", PlaceKind.NEIGHBOURHOOD, west)
    village = _place("Hill Village", PlaceKind.PARISH, west, postcode_areas="NB4")
    FrameworkRules.objects.create(
        place=county,
        min_age=16,
        project_cost_max_pence=25000_00,
        locked_fields=["min_age"],
    )
    FrameworkRules.objects.create(place=mill, ballot_method="knapsack")
    health = CategoryFactory(name="Health & care", slug="health")
    budget = BudgetFactory(place=mill, name="Mill End budget")
    ContributionFactory(budget=budget, body=BodyFactory(), amount_pence=30000_00)
    ContributionFactory(
        budget=budget,
        body=BodyFactory(name="Shire Health Board", slug="shire-health"),
        amount_pence=12000_00,
        ring_fence_category=health,
        ring_fenced_pence=5000_00,
    )
    people = {
        "resident": UserFactory(is_demo=True),
        "officer": UserFactory(is_demo=True),
        "councillor": UserFactory(is_demo=True),
        "neighbour": UserFactory(is_demo=True),
    }
    grant(people["resident"], mill)
    grant(people["neighbour"], canal)
    grant(people["officer"], county, RoleKind.OFFICER)
    grant(people["councillor"], east, RoleKind.COUNCILLOR)
    places = {"county": county, "east": east, "west": west, "mill": mill}
    return {**places, "canal": canal, "river": river, "village": village, **people}


def test_home_lists_the_place_tree(client, shire):
    response = client.get(reverse("civic:home"))
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("Shire", "East District", "Mill End", "Hill Village"):
        assert name in body


def test_place_page_shows_budget_sources_ring_fence_and_rules(
    client, shire, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        response = client.get(reverse("civic:place", args=["mill-end"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "£42,000" in body  # 30,000 + 12,000
    assert "Shire Health Board" in body
    assert "ring-fenced for Health &amp; care" in body
    assert "Budget: choose projects that fit within the budget" in body  # the override
    assert "Set by Shire" in body and "locked by Shire" in body


def test_postcode_finds_the_most_specific_place(client, shire):
    response = client.get(reverse("civic:find_place"), {"postcode": "nb14 1zz"})
    assert response.status_code == 200  # NB14 is not NB1
    assert "could not find a neighbourhood" in response.content.decode()
    response = client.get(reverse("civic:find_place"), {"postcode": "banana"})
    assert "Enter a full UK postcode" in response.content.decode()
    response = client.get(reverse("civic:find_place"), {"postcode": "NB4 9QQ"})
    assert response.url == reverse("civic:place", args=["hill-village"])
    response = client.get(reverse("civic:find_place"), {"postcode": "nb1 4zz"})
    assert response.url == reverse("civic:place", args=["canal-end"])


def test_unknown_place_is_404(client, shire):
    assert client.get(reverse("civic:place", args=["atlantis"])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, shire):
    response = client.get(reverse("civic:audit_log", args=["mill-end"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_resident_is_refused_officer_pages(client, shire):
    client.force_login(shire["resident"])
    assert client.get(reverse("civic:audit_log", args=["mill-end"])).status_code == 403


def test_officer_without_mfa_is_sent_to_set_it_up(client, shire, settings):
    settings.NB_DEMO_MFA_EXEMPT = False
    client.force_login(shire["officer"])
    response = client.get(reverse("work:rules", args=["mill-end"]))
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")


def test_officer_edits_rules_and_sees_inherited_values(client, shire):
    client.force_login(shire["officer"])
    url = reverse("work:rules", args=["river-south"])
    page = client.get(url).content.decode()
    assert "from Shire" in page and "£25,000" in page
    response = client.post(url, {"points_per_voter": "20", "ballot_method": "points"})
    assert response.status_code == 302
    rules = FrameworkRules.objects.get(place__slug="river-south")
    assert rules.ballot_method == "points" and rules.points_per_voter == 20
    assert rules.min_age is None  # left to inherit


def test_officer_cannot_override_a_locked_rule_and_is_told_why(client, shire):
    client.force_login(shire["officer"])
    response = client.post(
        reverse("work:rules", args=["river-south"]), {"min_age": "12"}
    )
    assert response.status_code == 400
    assert "is locked by Shire" in response.content.decode()
    assert not FrameworkRules.objects.filter(place__slug="river-south").exists()


def test_inconsistent_rules_are_rejected_with_a_message(client, shire):
    client.force_login(shire["officer"])
    response = client.post(
        reverse("work:rules", args=["river-south"]),
        {"project_cost_min": "30000", "project_cost_max": "20000"},
    )
    assert response.status_code == 400
    assert "is above the maximum" in response.content.decode()


def test_people_and_roles_are_managed_in_the_back_office(client, shire):
    """The place page's "People and roles" opens the back office's roles, filtered to
    the place (granting and removing there: tests/civic/test_admin.py)."""
    client.force_login(shire["officer"])
    village = shire["village"]
    grant(shire["neighbour"], village, RoleKind.ORGANISER)
    page = client.get(village.get_absolute_url()).content.decode()
    listing = f"{reverse('wagtailsnippets_civic_role:list')}?place={village.pk}"
    assert listing in page
    roles = client.get(listing).content.decode()
    assert shire["neighbour"].email in roles
    assert shire["resident"].email not in roles  # a resident of Mill End


def test_officer_of_one_district_cannot_reach_another_by_changing_the_slug(
    client, shire
):
    user = shire["councillor"]
    grant(user, shire["east"], RoleKind.OFFICER)
    client.force_login(user)
    assert client.get(reverse("work:rules", args=["mill-end"])).status_code == 200
    refused_by_the_admin(client.get(reverse("work:rules", args=["river-south"])))


def test_profile_saves_and_validates_postcode(client, shire):
    user = shire["resident"]
    client.force_login(user)
    response = client.post(
        reverse("civic:profile"), {"display_name": "R", "postcode": "banana"}
    )
    assert (
        response.status_code == 400 and "full UK postcode" in response.content.decode()
    )
    client.post(
        reverse("civic:profile"),
        {"display_name": "R", "postcode": "nb12ab", "year_of_birth": "1990"},
    )
    user.refresh_from_db()
    assert user.postcode == "NB1 2AB" and user.year_of_birth == 1990


def test_user_text_is_escaped_on_the_place_page(client, shire):
    place = Place.objects.get(slug="mill-end")
    place.summary = "<script>alert(1)</script>"
    place.save()
    body = client.get(place.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body
