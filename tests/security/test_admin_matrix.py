"""The Wagtail admin, for every role: only staff get in, and no admin URL serves a
page to anyone else or fails with a server error; the account and home pages are open
to all. (The site's own URLs: test_permission_matrix.py.)"""

import pytest
from django.db import transaction
from django.urls import URLResolver, reverse

from tests.security.conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_wagtail_admin_is_for_staff_roles_only(world, client, role):
    user = world["users"].get(role)
    if user:
        client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    staff = role in ("organiser", "councillor", "officer")
    assert (response.status_code == 200) is staff, (role, response.status_code)


def admin_urls():
    """Every Wagtail admin URL that takes no arguments (lists, dashboards, forms)."""
    from django.urls import get_resolver

    admin = next(
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and str(p.pattern) == "admin/"
    )
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            route = prefix + str(p.pattern)
            if "<" in route or "(?P" in route or "\\" in route:
                continue
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            else:
                found.append("/" + route.replace("^", "").replace("$", ""))

    walk(admin.url_patterns, "admin/")
    return sorted(set(found))


# Open to everyone by Wagtail's design: signing in, password reset, translations, icons.
ADMIN_PUBLIC = (
    "/admin/login/",
    "/admin/password_reset/",
    "/admin/jsi18n/",
    "/admin/sprite/",
)


def test_every_wagtail_admin_url_is_closed_to_non_staff_and_never_errors(world, client):
    urls = admin_urls()
    assert len(urls) > 30
    staff = world["users"]["organiser"]
    failures = []
    for role in ("anonymous", "unverified", "resident", "outsider", "organiser"):
        user = world["users"].get(role)
        client.logout()
        if user:
            client.force_login(user)
        for url in urls:
            # failwhale/ is Wagtail's deliberate error page for testing error reporting.
            if url.endswith(("logout/", "logout", "failwhale/")):
                continue
            sid = transaction.savepoint()
            response = client.get(url)
            transaction.savepoint_rollback(sid)
            if url.startswith(ADMIN_PUBLIC):
                bad = response.status_code >= 500
            elif user is staff:
                bad = response.status_code >= 500
            else:
                bad = response.status_code == 200 or response.status_code >= 500
                if response.status_code == 302:
                    bad = (
                        "/admin/login/" not in response["Location"]
                        and "/accounts/login/" not in response["Location"]
                    )
            if bad:
                failures.append((role, url, response.status_code))
    assert not failures, failures[:20]


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/"]
)
def test_public_account_and_home_pages(world, client, url):
    assert client.get(url).status_code == 200
