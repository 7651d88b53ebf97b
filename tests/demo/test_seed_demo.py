"""seed_demo: the demo site `make run` serves. It builds the whole page tree in both
languages, its logins work with the published password, it runs again without
duplicating anything, refuses to run outside DEBUG, and rebuilds Wagtail's root page
and default locale when a database was flushed (as transactional tests and
`manage.py flush` leave it)."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import Locale, Page

from civic.models import User
from cms.models import ForumPage, HomePage, NewsPage, StandardPage
from forums.models import Forum


@pytest.mark.django_db(transaction=True)
def test_seed_demo_after_a_flush(settings):
    Page.objects.all().delete()
    Locale.objects.all().delete()
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert Page.objects.filter(depth=1).count() == 1
    homes = Page.objects.filter(depth=2)
    assert {p.specific_class.__name__ for p in homes} == {"HomePage"}
    assert sorted(homes.values_list("locale__language_code", flat=True)) == ["cy", "en"]


def test_the_page_tree_in_both_languages(demo_site, client):
    home = HomePage.objects.get(locale__language_code="en")
    assert home.get_site().root_page.specific == home
    assert (
        StandardPage.objects.filter(
            slug__in=["how-it-works", "privacy", "accessibility"]
        ).count()
        == 6  # in English and in Welsh
    )
    for language in ("en", "cy"):  # Welsh: aliases until translated
        pages = ForumPage.objects.filter(locale__language_code=language)
        assert pages.count() == Forum.objects.count()
    assert NewsPage.objects.live().filter(locale__language_code="en").count() == 3
    body = client.get("/").content.decode()
    assert "Voting now" in body and "Old Mill budget" in body


@pytest.mark.django_db
def test_demo_logins_work_with_the_published_password(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # idempotent
    assert User.objects.filter(email="resident@example.org").count() == 1
    assert HomePage.objects.filter(locale__language_code="en").count() == 1
    for email in (
        "resident@example.org",
        "organiser@example.org",
        "councillor@example.org",
        "officer@example.org",
    ):
        response = client.post(
            reverse("account_login"), {"login": email, "password": "demo-pass-2026"}
        )
        assert response.status_code == 302, email
        client.post(reverse("account_logout"))


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
