"""English and Welsh: the interface catalogue, the JavaScript catalogue and Wagtail's
translated pages, chosen by the language switcher's cookie."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

LOCALE = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_string_has_welsh(domain):
    """Resident pages and the back office alike; a fuzzy guess does not count."""
    po = polib.pofile(str(LOCALE / f"{domain}.po"))
    missing = [entry.msgid for entry in po if not entry.translated() or entry.fuzzy]
    assert missing == []


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_compiled_catalogue_matches_the_source(domain):
    po = polib.pofile(str(LOCALE / f"{domain}.po"))
    mo = polib.mofile(str(LOCALE / f"{domain}.mo"))
    compiled = {(e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in mo}
    source = {
        (e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in po if e.translated()
    }
    assert source - compiled == set(), "run `make messages` to compile the catalogue"


def test_placeholders_survive_translation():
    placeholder = re.compile(r"%\([a-z_]+\)s|%%")
    po = polib.pofile(str(LOCALE / "django.po"))
    for entry in po.translated_entries():
        text = entry.msgstr or entry.msgstr_plural[0]
        assert sorted(placeholder.findall(entry.msgid)) == sorted(
            placeholder.findall(text)
        ), entry.msgid


def welsh(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


def test_language_switcher_sets_welsh(client, page_world):
    english = client.get("/").content.decode()
    assert 'lang="en' in english and "<h1>Our budget</h1>" in english
    response = client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert '<html lang="cy"' in page
    assert "<h1>Ein cyllideb</h1>" in page  # the Welsh HomePage
    assert "Neidio i'r prif gynnwys" in page  # the interface catalogue


def test_translated_pages_and_aliases_keep_the_same_addresses(client, page_world):
    welsh(client)
    how = client.get("/how-it-works/")
    assert how.context["page"].title == "Sut mae'n gweithio"
    assert how.context["page"].locale.language_code == "cy"
    # Not translated yet: the Welsh tree mirrors the English page at the same URL,
    # with the interface around it in Welsh.
    forum = client.get(page_world["forum_page"].url)
    assert forum.status_code == 200
    assert forum.context["self"].locale.language_code == "cy"
    body = forum.content.decode()
    assert "Lane End forum" in body and "Fforwm cymdogaeth" in body
    # Search finds Welsh pages only, each once.
    found = client.get(reverse("search"), {"q": "gweithio"}).context["pages"]
    urls = [p.url for p in found]
    assert "/how-it-works/" in urls and len(urls) == len(set(urls))
    assert {p.locale.language_code for p in found} == {"cy"}


def test_welsh_forms_and_errors(client, page_world):
    welsh(client)
    page = client.get(reverse("civic:find_place"), {"postcode": "nonsense"})
    assert "Rhowch god post llawn yn y DU" in page.content.decode()


def test_javascript_catalogue_in_welsh(client):
    welsh(client)
    catalogue = client.get(reverse("javascript-catalog")).content.decode()
    assert "Yn ailgysylltu" in catalogue and "Wedi dewis" in catalogue
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert (
        "Yn ailgysylltu"
        not in client.get(reverse("javascript-catalog")).content.decode()
    )


def test_emails_come_in_the_language_the_person_chose(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    from civic.models import User
    from civic.notify import send

    person = User.objects.create_user(email="cy@example.org", password="x-long-pass-1")
    client.force_login(person)
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    person.refresh_from_db()
    assert person.language == "cy"

    class Cycle:
        name = "Old Mill 2026"
        slug = "old-mill-2026"

    with django_capture_on_commit_callbacks(execute=True):
        send("receipt", [person], {"cycle": Cycle(), "receipt": "ABCD-EFGH"})
    assert mailoutbox[-1].subject.endswith("Eich derbynneb ar gyfer Old Mill 2026")
    assert "Diolch am bleidleisio" in mailoutbox[-1].body
    # Someone who never chose gets the site's default, English.
    other = User.objects.create_user(email="en@example.org", password="x-long-pass-1")
    with django_capture_on_commit_callbacks(execute=True):
        send("receipt", [other], {"cycle": Cycle(), "receipt": "ABCD-EFGH"})
    assert "Your receipt for Old Mill 2026" in mailoutbox[-1].subject


def test_welsh_relative_times_have_a_space_after_the_comma():
    """Django's Welsh catalogue joins "6 hours, 20 minutes" with "," alone; ours
    says ", "."""
    import datetime as dt

    from django.utils import timezone, translation
    from django.utils.timesince import timesince

    with translation.override("cy"):
        text = timesince(timezone.now() - dt.timedelta(hours=6, minutes=20))
    assert ", " in text and ",2" not in text
