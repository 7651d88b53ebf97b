"""Anonymous visitors share one copy of the public pages for a few seconds
(civic/page_cache.py); nothing personal is shared."""

import pytest
from django.urls import reverse

from tests.ballots.conftest import _no_frozen_cache, vote_world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings, vote_world):  # noqa: F811
    settings.NB_PAGE_CACHE_SECONDS = 15
    return vote_world


def test_anonymous_visitors_share_a_page_for_a_few_seconds(client, cached):
    w = cached
    url = reverse("forums:forum", args=[w["forum"].slug])
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    w["proposals"][0].__class__.objects.filter(pk=w["proposals"][0].pk).update(
        title="Renamed while cached"
    )
    again = client.get(url)
    assert again["X-Page-Cache"] == "hit"
    # nginx in front may keep both (deploy/nginx.conf.template), per cookie and language.
    for response in (first, again):
        assert response["X-Accel-Expires"] == "15"
        assert {"Cookie", "Accept-Language"} <= {
            v.strip() for v in response["Vary"].split(",")
        }
    assert (
        again.content == first.content and b"Renamed while cached" not in again.content
    )
    # The security headers are still those of every page.
    policy = "Content-Security-Policy-Report-Only"  # enforced in production
    assert again[policy] == first[policy] and "script-src 'self'" in again[policy]
    # Another address (a filter) and another language are other copies.
    assert client.get(url, {"sort": "cost_low"})["X-Page-Cache"] == "miss"
    client.cookies["django_language"] = "cy"
    welsh = client.get(url)
    assert welsh["X-Page-Cache"] == "miss" and b'lang="cy"' in welsh.content


def test_signed_in_people_and_forms_are_never_shared(client, cached):
    w = cached
    url = reverse("forums:forum", args=[w["forum"].slug])
    client.get(url)
    client.force_login(w["voters"][0])
    mine = client.get(url)
    assert "X-Page-Cache" not in mine and "X-Accel-Expires" not in mine
    assert b"Renamed" not in mine.content
    # A page that renders a form for the visitor (here, the sign-in page) is not
    # cached even if its view were listed; the ballot page is not listed at all.
    client.logout()
    client.cookies.clear()
    vote = client.get(reverse("ballots:vote", args=[w["cycle"].slug]))
    assert "X-Page-Cache" not in vote and "X-Accel-Expires" not in vote


def test_the_language_switcher_needs_no_token_from_a_visitor(client, cached):
    from django.test import Client

    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post(reverse("set_language"), {"language": "cy", "next": "/"})
    assert (
        response.status_code == 302
        and response.cookies["django_language"].value == "cy"
    )
    person = cached["voters"][0]
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(person)
    refused = signed_in.post(reverse("set_language"), {"language": "cy", "next": "/"})
    assert refused.status_code == 403
    person.refresh_from_db()
    assert person.language != "cy"
