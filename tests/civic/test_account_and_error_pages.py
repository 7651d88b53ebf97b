"""Account pages (django-allauth) and refusals wear the site's look and speak its
languages: allauth's elements are our components, its strings have Welsh and English in
sentence case, and 403, 404, 500 and a refused form each get a page that says what
happened and what to do (#28, item 20; the Welsh allauth pages of item 22)."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from tests.factories import UserFactory, grant, make_place

pytestmark = pytest.mark.django_db

ALLAUTH_CY = Path(settings.BASE_DIR) / "locale/accounts/cy/LC_MESSAGES/django.po"


def welsh(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


def main_of(response):
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


def test_sign_in_uses_the_sites_components(client):
    main = main_of(client.get(reverse("account_login")))
    assert '<div class="narrow card auth-card">' in main
    assert re.search(
        r'<button type="submit" class="button">\s*Sign in\s*</button>', main
    )
    assert '<label for="id_login">Email</label>' in main  # no "Email:"
    assert '<label class="checkbox"><input type="checkbox" name="remember"' in main
    assert "Remember me" in main and "Remember Me" not in main
    assert "Sign In" not in main


def test_sign_up_and_reset_read_in_sentence_case(client):
    signup = main_of(client.get(reverse("account_signup")))
    assert (
        "<h1>" in signup and "Create an account" in signup and "Sign Up" not in signup
    )
    reset = main_of(client.get(reverse("account_reset_password")))
    assert "Reset your password" in reset and "Password Reset" not in reset
    assert re.search(r'class="button">\s*Reset my password\s*<', reset)


def test_sign_in_errors_are_summarised_and_kept_with_the_field(client):
    response = client.post(
        reverse("account_login"), {"login": "nobody@example.org", "password": "wrong"}
    )
    main = main_of(response)
    assert 'class="error-summary"' in main
    assert "The email address and/or password you specified are not correct." in main


def test_account_pages_in_welsh(client):
    main = main_of(welsh(client).get(reverse("account_login")))
    assert "Mewngofnodi" in main and "Cofio fi" in main and "Cyfrinair" in main
    assert "Remember" not in main and "Password" not in main
    response = welsh(client).post(
        reverse("account_login"), {"login": "nobody@example.org", "password": "wrong"}
    )
    assert "Nid yw'r cyfeiriad e-bost a/neu'r cyfrinair a roesoch yn gywir." in (
        main_of(response).replace("&#x27;", "'")
    )
    signup = main_of(welsh(client).get(reverse("account_signup")))
    assert "Creu cyfrif" in signup and "Sign Up" not in signup
    # Django's password rules, which Django's own Welsh leaves in English.
    assert "Ni all eich cyfrinair fod yn rhifau i gyd." in signup.replace("&#x27;", "'")
    assert "entirely numeric" not in signup


def test_every_library_string_we_show_has_welsh():
    po = polib.pofile(str(ALLAUTH_CY))
    assert len(po) > 150
    missing = [e.msgid for e in po if not e.translated() or e.fuzzy]
    assert missing == []
    placeholder = re.compile(r"%\([a-z_]+\)[sd]|%d")
    for entry in po:
        text = entry.msgstr or entry.msgstr_plural[0]
        assert sorted(placeholder.findall(entry.msgid)) == sorted(
            placeholder.findall(text)
        ), entry.msgid


def test_page_not_found_is_the_sites_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    main = main_of(response)
    assert "<h1" in main and "Page not found" in main
    assert reverse("civic:home") in main and reverse("search") in main
    assert 'class="site-header"' in response.content.decode()
    cy = welsh(client).get("/no-such-page/")
    assert cy.status_code == 404 and "Heb ddod o hyd i’r dudalen" in main_of(cy)


def test_refused_page_says_why_and_what_to_do(client, db):
    place = make_place("Lane End")
    resident = UserFactory()
    grant(resident, place)
    client.force_login(resident)
    response = client.get(reverse("civic:audit_log", args=[place.slug]))
    assert response.status_code == 403
    main = main_of(response)
    assert "You cannot open this page" in main
    assert resident.email in main and "ask an officer of your council" in main
    assert "403 Forbidden" not in response.content.decode()


def test_refused_form_says_nothing_was_changed():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@example.org"})
    assert response.status_code == 403
    main = main_of(response)
    assert "Your form was not sent" in main and "Nothing was changed" in main


def test_server_error_page_needs_no_request_context():
    request = RequestFactory().get("/")
    with translation.override("cy"):
        welsh_page = server_error(request).content.decode()
    page = server_error(request).content.decode()
    assert "Something went wrong" in page and "Votes already cast are safe." in page
    assert "civic/favicon.svg" in page and "civic/components.css" in page
    assert '<html lang="cy">' in welsh_page and "Something went wrong" not in welsh_page


def test_favicon(client, db):
    home = client.get(reverse("civic:home")).content.decode()
    assert (
        '<link rel="icon" href="/static/civic/favicon.svg" type="image/svg+xml">'
        in home
    )
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url == "/static/civic/favicon.svg"
    assert client.get(response.url).status_code == 200
