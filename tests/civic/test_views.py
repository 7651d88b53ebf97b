"""Public pages render; officer actions are closed to anonymous users and residents."""

import pytest
from django.urls import reverse

from civic.models import FrameworkRules, Place, User
from tests.admin_answers import refused_by_the_admin

pytestmark = pytest.mark.django_db


def test_home_lists_the_place_tree(client, demo):
    response = client.get(reverse("civic:home"))
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("Northshire", "Eastbrook District", "Old Mill", "Hillcrest Village"):
        assert name in body


def test_place_page_shows_budget_sources_ring_fence_and_rules(
    client, demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        response = client.get(reverse("civic:place", args=["old-mill"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "£55,000" in body  # 30,000 + 12,000 + 5,000 + 8,000
    assert "NHS Northshire Integrated Care Board" in body
    assert "ring-fenced for Health &amp; care" in body
    assert "Budget: choose projects that fit within the budget" in body  # the override
    assert "Set by Northshire" in body and "locked by Northshire" in body


def test_postcode_finds_the_most_specific_place(client, demo):
    response = client.get(reverse("civic:find_place"), {"postcode": "nb14 1zz"})
    assert response.status_code == 200  # NB14 is not NB1
    assert "could not find a neighbourhood" in response.content.decode()
    response = client.get(reverse("civic:find_place"), {"postcode": "banana"})
    assert "Enter a full UK postcode" in response.content.decode()
    response = client.get(reverse("civic:find_place"), {"postcode": "NB4 9QQ"})
    assert response.url == reverse("civic:place", args=["hillcrest-village"])
    response = client.get(reverse("civic:find_place"), {"postcode": "nb1 4zz"})
    assert response.url == reverse("civic:place", args=["canal-side"])


def test_unknown_place_is_404(client, demo):
    assert client.get(reverse("civic:place", args=["atlantis"])).status_code == 404


@pytest.mark.parametrize("name", ["civic:place_roles", "civic:audit_log"])
def test_anonymous_is_sent_to_sign_in(client, demo, name):
    response = client.get(reverse(name, args=["old-mill"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["civic:place_roles", "civic:audit_log"])
def test_resident_is_refused_officer_actions(client, demo, settings, name):
    settings.NB_DEMO_MFA_EXEMPT = True
    client.force_login(User.objects.get(email="resident@example.org"))
    assert client.get(reverse(name, args=["old-mill"])).status_code == 403
    assert client.post(reverse(name, args=["old-mill"]), {}).status_code == 403


def test_officer_without_mfa_is_sent_to_set_it_up(client, demo, settings):
    settings.NB_DEMO_MFA_EXEMPT = False
    client.force_login(User.objects.get(email="officer@example.org"))
    response = client.get(reverse("work:rules", args=["old-mill"]))
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")


def test_officer_edits_rules_and_sees_inherited_values(client, demo, settings):
    settings.NB_DEMO_MFA_EXEMPT = True
    client.force_login(User.objects.get(email="officer@example.org"))
    url = reverse("work:rules", args=["riverside-south"])
    page = client.get(url).content.decode()
    assert "from Northshire" in page and "£25,000" in page
    response = client.post(url, {"points_per_voter": "20", "ballot_method": "points"})
    assert response.status_code == 302
    rules = FrameworkRules.objects.get(place__slug="riverside-south")
    assert rules.ballot_method == "points" and rules.points_per_voter == 20
    assert rules.min_age is None  # left to inherit


def test_officer_cannot_override_a_locked_rule_and_is_told_why(client, demo, settings):
    settings.NB_DEMO_MFA_EXEMPT = True
    client.force_login(User.objects.get(email="officer@example.org"))
    response = client.post(
        reverse("work:rules", args=["riverside-south"]), {"min_age": "12"}
    )
    assert response.status_code == 400
    assert "is locked by Northshire" in response.content.decode()
    assert not FrameworkRules.objects.filter(place__slug="riverside-south").exists()


def test_inconsistent_rules_are_rejected_with_a_message(client, demo, settings):
    settings.NB_DEMO_MFA_EXEMPT = True
    client.force_login(User.objects.get(email="officer@example.org"))
    response = client.post(
        reverse("work:rules", args=["riverside-south"]),
        {"project_cost_min": "30000", "project_cost_max": "20000"},
    )
    assert response.status_code == 400
    assert "is above the maximum" in response.content.decode()


def test_officer_grants_and_removes_roles(client, demo, settings):
    from civic.models import Role

    settings.NB_DEMO_MFA_EXEMPT = True
    client.force_login(User.objects.get(email="officer@example.org"))
    url = reverse("civic:place_roles", args=["castle-green"])
    response = client.post(url, {"email": "neighbour@example.org", "kind": "organiser"})
    assert response.status_code == 302
    role = Role.objects.get(user__email="neighbour@example.org", kind="organiser")
    assert role.place.slug == "castle-green"
    response = client.post(url, {"email": "nobody@example.org", "kind": "organiser"})
    assert "Nobody has an account" in response.content.decode()
    client.post(reverse("civic:role_revoke", args=["castle-green", role.pk]))
    assert not Role.objects.filter(pk=role.pk).exists()


def test_officer_of_one_district_cannot_reach_another_by_changing_the_slug(
    client, demo, settings
):
    from civic.models import Role

    settings.NB_DEMO_MFA_EXEMPT = True
    user = User.objects.get(email="councillor@example.org")
    Role.objects.create(
        user=user, place=Place.objects.get(slug="eastbrook"), kind="officer"
    )
    client.force_login(user)
    assert client.get(reverse("work:rules", args=["old-mill"])).status_code == 200
    refused_by_the_admin(client.get(reverse("work:rules", args=["riverside-north"])))


def test_profile_saves_and_validates_postcode(client, demo):
    user = User.objects.get(email="resident@example.org")
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


def test_user_text_is_escaped_on_the_place_page(client, demo):
    place = Place.objects.get(slug="old-mill")
    place.summary = "<script>alert(1)</script>"
    place.save()
    body = client.get(place.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body
