import datetime as dt

import pytest
from wagtail.models import Locale, Page, Site

from cms.models import (
    CouncilDetails,
    ForumPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    PlacePage,
    StandardPage,
)
from tests.ballots.conftest import _no_frozen_cache, vote_world  # noqa: F401


@pytest.fixture
def home_page(db):
    """The site's home page in place of Wagtail's "Welcome" page, as a new site has it
    once an editor makes one."""
    Page.objects.filter(depth=2, slug="home").delete()
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(
            title="Our budget", slug="home", intro="<p>Where the money goes.</p>"
        )
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return home


def _under(parent, page):
    parent.refresh_from_db()
    parent.add_child(instance=page)
    return page


# Pages an editor has translated into Welsh; every other page is a Welsh alias.
WELSH = {
    "home": "Ein cyllideb",
    "how-it-works": "Sut mae'n gweithio",
    "privacy": "Preifatrwydd",
    "accessibility": "Datganiad hygyrchedd",
}


@pytest.fixture
def page_world(home_page, vote_world):  # noqa: F811
    """vote_world's places, forum and open vote (a knapsack ballot) with the page tree
    an editor builds: standard pages, a page for the county and for the forum, news
    with three items, the council's details, and the tree in Welsh (four pages
    translated, the rest aliases)."""
    w = vote_world
    w["cycle"] = w["open"](ballot_method="knapsack", max_choices=None)
    for slug, title, block in (
        ("how-it-works", "How it works", ("heading", "From ideas to delivery")),
        ("privacy", "Privacy", ("privacy_notice", None)),
        ("accessibility", "Accessibility statement", ("accessibility_statement", None)),
    ):
        _under(home_page, StandardPage(title=title, slug=slug, body=[block]))
    CouncilDetails.objects.create(
        site=Site.objects.get(is_default_site=True),
        council_name="Shire County Council",
        ico_registration="Z0000000",
        compliance="partial",
        statement_prepared=dt.date(2026, 9, 1),
    )
    county_page = _under(
        home_page,
        PlacePage(
            title="Shire", slug="shire", place=w["county"], intro="<p>Notes.</p>"
        ),
    )
    w["forum_page"] = _under(
        county_page,
        ForumPage(
            title=w["forum"].name,
            slug=w["forum"].slug,
            forum=w["forum"],
            intro="<p>Join to suggest ideas.</p>",
        ),
    )
    news = _under(home_page, NewsIndexPage(title="News", slug="news", intro="News."))
    for i in range(3):
        _under(
            news,
            NewsPage(
                title=f"Story {i + 1}",
                slug=f"story-{i + 1}",
                date=dt.date.today() - dt.timedelta(days=7 * i),
                intro=f"Item {i + 1}.",
            ),
        )
    cy = Locale.objects.get_or_create(language_code="cy")[0]
    tree = home_page.get_descendants(inclusive=True).order_by("path")
    for page in tree:
        if page.slug in WELSH:
            copy = page.specific.copy_for_translation(cy, copy_parents=True)
            copy.title = WELSH[page.slug]
            copy.save_revision().publish()
    for page in tree:
        if not page.has_translation(cy):
            page.specific.copy_for_translation(cy, copy_parents=True, alias=True)
    w["home"] = home_page
    return w
