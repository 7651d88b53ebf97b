"""The demo page tree: home, how it works, privacy, accessibility, a page per county,
district and forum, and news. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site

from civic.models import Place
from forums.models import Forum

from .models import (
    ForumPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    PlacePage,
    StandardPage,
)

PAGES = [
    (
        "how-it-works",
        "How it works",
        "From ideas to delivered projects, in five steps.",
        [
            ("heading", "Ideas"),
            (
                "paragraph",
                "<p>Residents suggest what their neighbourhood needs. Anyone who lives there can join the neighbourhood forum.</p>",
            ),
            ("heading", "Review and costing"),
            (
                "paragraph",
                "<p>Organisers check each idea can be done and get an official cost from the council's teams.</p>",
            ),
            ("heading", "Debate and vote"),
            (
                "paragraph",
                "<p>Residents debate the proposals and cast a secret ballot. The count follows the council's published rules.</p>",
            ),
            ("heading", "Decision and delivery"),
            (
                "paragraph",
                "<p>Councillors record the formal decision and every funded project is tracked to completion, with who paid and who benefits.</p>",
            ),
        ],
    ),
    (
        "privacy",
        "Privacy",
        "What we keep about you, why, and for how long.",
        [
            (
                "paragraph",
                "<p>We keep your email address, display name, postcode and year of birth to run your account and check you may take part. Your ballot is stored with no link to you. You can download your data or delete your account from your profile.</p>",
            ),
        ],
    ),
    (
        "accessibility",
        "Accessibility statement",
        "How this site works for everyone.",
        [
            (
                "paragraph",
                "<p>We aim to meet WCAG 2.2 AA. Every page works with a keyboard and a screen reader, charts have tables with the same figures, and voting works without JavaScript. Tell us about any problem and we will fix it.</p>",
            ),
        ],
    ),
]


@transaction.atomic
def seed() -> None:
    root = Page.get_first_root_node()
    if root is None:
        # Wagtail's migrations make the root page and default locale; a flushed
        # database (transactional tests) has neither, so make them again.
        from django.contrib.contenttypes.models import ContentType
        from wagtail.coreutils import get_supported_content_language_variant
        from wagtail.models import Locale

        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.add_root(
            instance=Page(
                title="Root",
                slug="root",
                content_type=ContentType.objects.get_for_model(Page),
            )
        )
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's own install leaves a plain "Welcome" page as the site root: replace it.
        welcome = Page.objects.filter(depth=2, slug="home").first()
        if welcome is not None and welcome.specific_class is Page:
            welcome.delete()  # its Site goes with it and is made again below
        home = HomePage(
            title="Your neighbourhood, your budget",
            slug="home",
            intro="<p>Councils, the NHS, the police and housing bodies pool part of what they spend in your area into a neighbourhood budget. You see where the money comes from, debate the proposals, and vote on what gets funded.</p>",
        )
        root.refresh_from_db()
        root.add_child(instance=home)
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": "localhost",
                "port": 80,
                "root_page": home,
                "site_name": "Neighbourhood Budgets",
            },
        )
    home.refresh_from_db()
    for slug, title, intro, blocks in PAGES:
        if not StandardPage.objects.filter(slug=slug).exists():
            home.add_child(
                instance=StandardPage(
                    title=title,
                    slug=slug,
                    intro=intro,
                    body=[(k, v) for k, v in blocks],
                )
            )
            home.refresh_from_db()

    # Place pages for the county and districts, forum pages under their places.
    def place_page(place: Place, parent: Page) -> Page:
        existing = PlacePage.objects.filter(place=place).first()
        if existing:
            return existing
        page = PlacePage(
            title=place.name,
            slug=place.slug,
            place=place,
            intro=f"<p>{place.summary or 'The budget devolved to ' + place.name + '.'}</p>",
        )
        parent.add_child(instance=page)
        return page

    county = Place.objects.filter(slug="northshire").first()
    if county is None:
        return
    county_page = place_page(county, home)
    for forum in Forum.objects.select_related("place"):
        if ForumPage.objects.filter(forum=forum).exists():
            continue
        county_page.refresh_from_db()
        county_page.add_child(
            instance=ForumPage(
                title=forum.name,
                slug=forum.slug,
                forum=forum,
                intro=f"<p>Welcome to the {forum.name}. Join to suggest ideas, debate and vote.</p>",
            )
        )
    if not NewsIndexPage.objects.exists():
        home.refresh_from_db()
        news = NewsIndexPage(
            title="News",
            slug="news",
            intro="What is happening with neighbourhood budgets in Northshire.",
        )
        home.add_child(instance=news)
        today = dt.date.today()
        for i, (title, intro) in enumerate(
            [
                (
                    "Voting opens in Old Mill",
                    "Residents of Old Mill can now vote on how £55,000 is spent.",
                ),
                (
                    "Canal Side projects under way",
                    "The towpath benches are in and the boxing club has started.",
                ),
                (
                    "New framework rules for Northshire",
                    "The county has set ring-fences and cost limits for this year's budgets.",
                ),
            ]
        ):
            news.refresh_from_db()
            news.add_child(
                instance=NewsPage(
                    title=title,
                    slug=f"news-{i + 1}",
                    date=today - dt.timedelta(days=7 * i),
                    intro=intro,
                    body=[("paragraph", f"<p>{intro}</p>")],
                )
            )
