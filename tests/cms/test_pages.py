"""The public site in Wagtail: page types create and render; places and forums with a
page have one address; news has RSS; search finds pages and proposals."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from civic.models import Place
from civic.selectors import page_of
from cms.models import (
    ForumPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    PlacePage,
    StandardPage,
)
from forums.models import Forum, ProposalStatus
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(demo_site):
    return demo_site


def test_page_tree_is_built_by_seed_demo(site):
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


def test_every_page_type_renders(site, client):
    for model in (
        HomePage,
        StandardPage,
        PlacePage,
        ForumPage,
        NewsIndexPage,
        NewsPage,
    ):
        page = model.objects.live().first()
        response = client.get(page.url)
        assert response.status_code == 200, (model, page.url)
        assert page.title.split()[0] in response.content.decode()


def test_home_shows_what_is_happening_now(site, client):
    body = client.get("/").content.decode()
    assert (
        "Voting now" in body
        and "Old Mill budget" in body
        and "Approval of the Canal Side" in body
    )
    assert "How it works" in body  # footer link to a standard page


def test_every_open_vote_says_when_it_closes(site, client):
    """The home page's open votes, the forum and the place page say when voting
    closes, in UK time; in Welsh for a Welsh reader."""
    from ballots.lifecycle import when
    from ballots.models import Cycle

    cycle = Cycle.objects.get(slug="old-mill-2026")
    closes = f"Voting closes {when(cycle.counting_start)}."
    assert closes.endswith(" at 22:00.")
    assert closes in client.get("/").content.decode()
    assert closes in client.get("/forums/old-mill/", follow=True).content.decode()
    assert closes in client.get("/places/old-mill/", follow=True).content.decode()
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    welsh = client.get("/").content.decode()
    assert "Mae'r pleidleisio'n cau" in welsh.replace("&#x27;", "'")


def test_place_and_forum_have_one_address(site, client):
    county = Place.objects.get(slug="northshire")
    response = client.get(reverse("civic:place", args=["northshire"]))
    assert response.status_code == 302 and response.url == page_of(county).url
    page = client.get(page_of(county).url).content.decode()
    assert "£" in page and "The rules for spending it" in page  # live data, not copied
    forum_page = ForumPage.objects.get(
        forum__slug="old-mill", locale__language_code="en"
    )
    response = client.get(reverse("forums:forum", args=["old-mill"]) + "?sort=cost_low")
    assert (
        response.status_code == 302
        and response.url == forum_page.url + "?sort=cost_low"
    )
    assert "Safer crossing" in client.get(forum_page.url).content.decode()


def test_editorial_content_appears_above_live_data(site, client):
    page = PlacePage.objects.get(place__slug="northshire", locale__language_code="en")
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


def test_search_finds_pages_and_proposals(site, client):
    ProposalFactory(
        forum=Forum.objects.get(slug="old-mill"), title="Zebra crossing by the school"
    )
    ProposalFactory(
        forum=Forum.objects.get(slug="old-mill"),
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
    from ballots.models import Cycle
    from civic.models import FrameworkRules, User

    cycle = Cycle.objects.get(slug="old-mill-2026")
    place = client.get(reverse("civic:place", args=["old-mill"]), follow=True)
    assert "keeps the rules in force" not in place.content.decode()
    client.force_login(User.objects.get(email="officer@example.org"))
    form = client.get(reverse("work:rules", args=["old-mill"])).content.decode()
    assert "A vote is open here. It keeps the rules that were in force" in form
    assert cycle.name in form
    FrameworkRules.objects.filter(place__slug="old-mill").update(
        ballot_method="approval"
    )
    place = client.get(reverse("civic:place", args=["old-mill"]), follow=True)
    assert (
        f"{cycle.name} keeps the rules in force when its voting opened; changed "
        "since then: ballot method." in place.content.decode()
    )
    assert Cycle.objects.get(pk=cycle.pk).rules["ballot_method"] == "knapsack"


def test_the_county_page_says_its_summary_once(client, site):
    county = Place.objects.get(slug="northshire")
    page = client.get(reverse("civic:place", args=["northshire"]), follow=True)
    assert page.content.decode().count(county.summary) == 1
