"""The public site in Wagtail: page types create and render; places and forums with a
page have one address; news has RSS; search finds pages and proposals."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from ballots.lifecycle import when
from ballots.models import Cycle
from civic.models import FrameworkRules
from civic.selectors import page_of
from cms.models import (
    ForumPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    PlacePage,
    StandardPage,
)
from forums.models import ProposalStatus
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(page_world):
    return page_world


def test_every_page_type_renders(site, client):
    for model in (
        HomePage,
        StandardPage,
        PlacePage,
        ForumPage,
        NewsIndexPage,
        NewsPage,
    ):
        page = model.objects.live().filter(locale__language_code="en").first()
        response = client.get(page.url)
        assert response.status_code == 200, (model, page.url)
        assert page.title in response.content.decode()


def test_home_shows_what_is_happening_now(site, client):
    body = client.get("/").content.decode()
    voting_now = body[body.index("Voting now") : body.index("Recent decisions")]
    slug = site["cycle"].slug
    assert site["cycle"].name in voting_now and "Lane End" in voting_now
    for path in ("vote/", "code/", "results/"):
        assert f'href="/cycles/{slug}/{path}"' in voting_now
    assert "How it works" in body  # footer link to a standard page


def test_every_open_vote_says_when_it_closes(site, client):
    """The home page's open votes, the forum and the place page say when voting
    closes, in UK time; in Welsh for a Welsh reader."""
    cycle = site["cycle"]
    closes = f"Voting closes {when(cycle.counting_start)}."
    assert closes in client.get("/").content.decode()
    assert closes in client.get(site["forum_page"].url).content.decode()
    place = reverse("civic:place", args=[site["hood"].slug])
    assert closes in client.get(place, follow=True).content.decode()
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    welsh = client.get("/").content.decode()
    assert "Mae'r pleidleisio'n cau" in welsh.replace("&#x27;", "'")


def test_when_names_the_uk_clock():
    import datetime as dt

    winter = dt.datetime(2026, 12, 1, 22, 0, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 7, 1, 21, 0, tzinfo=dt.UTC)
    assert when(winter).endswith(" at 22:00") and when(summer).endswith(" at 22:00")


def test_place_and_forum_have_one_address(site, client):
    county = site["county"]
    response = client.get(reverse("civic:place", args=[county.slug]))
    assert response.status_code == 302 and response.url == page_of(county).url
    page = client.get(page_of(county).url).content.decode()
    assert "The rules for spending it" in page  # live data, not copied
    forum_page = site["forum_page"]
    response = client.get(
        reverse("forums:forum", args=[site["forum"].slug]) + "?sort=cost_low"
    )
    assert (
        response.status_code == 302
        and response.url == forum_page.url + "?sort=cost_low"
    )
    assert "P3" in client.get(forum_page.url).content.decode()


def test_editorial_content_appears_above_live_data(site, client):
    page = PlacePage.objects.get(place=site["county"], locale__language_code="en")
    page.body = [("paragraph", "<p>A message from the council leader.</p>")]
    page.save_revision().publish()
    assert "A message from the council leader." in client.get(page.url).content.decode()


def test_news_rss(site, client):
    index = NewsIndexPage.objects.get(locale__language_code="en")
    response = client.get(index.url + "rss/")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/rss+xml"
    )
    assert response.content.count(b"<item>") == 3
    assert b"Story 3" in response.content


def test_search_finds_pages_and_proposals(site, client):
    ProposalFactory(forum=site["forum"], title="Zebra crossing by the school")
    ProposalFactory(
        forum=site["forum"],
        title="Bike shelter by the zebra",
        status=ProposalStatus.SUBMITTED,
    )
    call_command("update_index", verbosity=0)
    body = client.get(reverse("search"), {"q": "zebra"}).content.decode()
    assert "Zebra crossing by the school" in body
    assert "Bike shelter by the zebra" not in body  # submitted, not published
    body = client.get(reverse("search"), {"q": "accessibility"}).content.decode()
    assert "Accessibility statement" in body


def test_an_open_vote_keeps_its_frozen_rules_and_the_pages_say_so(client, site):
    """A rule changed while a vote is open: the place page says the open vote keeps
    the rules it opened with (naming what changed), and the rules form warns first."""
    cycle, hood = site["cycle"], site["hood"]
    place = reverse("civic:place", args=[hood.slug])
    assert (
        "keeps the rules in force"
        not in client.get(place, follow=True).content.decode()
    )
    client.force_login(site["officer"])
    form = client.get(reverse("work:rules", args=[hood.slug])).content.decode()
    assert "A vote is open here. It keeps the rules that were in force" in form
    assert cycle.name in form
    FrameworkRules.objects.filter(place=site["county"]).update(ballot_method="approval")
    assert (
        f"{cycle.name} keeps the rules in force when its voting opened; changed "
        "since then: ballot method." in client.get(place, follow=True).content.decode()
    )
    assert Cycle.objects.get(pk=cycle.pk).rules["ballot_method"] == "knapsack"


def test_the_place_page_says_its_summary_once(client, site):
    county = site["county"]
    county.summary = "Shire pools money from four public bodies."
    county.save()
    page = client.get(reverse("civic:place", args=[county.slug]), follow=True)
    assert page.content.decode().count(county.summary) == 1
