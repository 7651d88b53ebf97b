"""The Wagtail back office: staff roles get in, residents do not, and the dashboard shows
each person only the work of their own places."""

import pytest
from django.urls import reverse

from civic.models import PlaceKind, RoleKind
from forums.models import Forum, Idea
from tests.admin_answers import sent_to_admin_sign_in
from tests.factories import UserFactory, grant, make_place

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_forums(db, settings):
    settings.NB_DEMO_MFA_EXEMPT = True
    from civic.models import Category

    county = make_place("Shire", PlaceKind.COUNTY)
    a = make_place("Acre", PlaceKind.NEIGHBOURHOOD, county)
    b = make_place("Brook", PlaceKind.NEIGHBOURHOOD, county)
    for p in (county, a, b):
        p.refresh_from_db()
    cat = Category.objects.create(name="Green", slug="green")
    fa = Forum.objects.create(place=a, name="Acre forum", slug="acre")
    fb = Forum.objects.create(place=b, name="Brook forum", slug="brook")
    author = UserFactory()
    for forum in (fa, fb):
        Idea.objects.create(
            forum=forum,
            author=author,
            title="Idea",
            summary="s",
            description="d",
            category=cat,
        )
    org_a, resident = UserFactory(), UserFactory()
    grant(org_a, a, RoleKind.ORGANISER)
    grant(resident, a, RoleKind.RESIDENT)
    return {"org_a": org_a, "resident": resident}


def test_staff_roles_reach_the_admin_and_residents_do_not(client, two_forums):
    client.force_login(two_forums["resident"])
    response = client.get(reverse("wagtailadmin_home"))
    sent_to_admin_sign_in(response, reverse("wagtailadmin_home"))
    client.force_login(two_forums["org_a"])
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_dashboard_shows_only_the_organisers_own_queue(client, two_forums):
    client.force_login(two_forums["org_a"])
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Needs your attention" in body
    assert "1 idea(s) to review in Acre forum" in body
    assert "Brook forum" not in body
