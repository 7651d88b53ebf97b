"""The demo page tree: home, how it works, privacy, accessibility, a page per county,
district and forum, and news. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site

from civic.models import Place
from cms.models import (
    CouncilDetails,
    ForumPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    PlacePage,
    StandardPage,
)
from forums.models import Forum

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
        [("privacy_notice", None)],
    ),
    (
        "accessibility",
        "Accessibility statement",
        "How this site works for everyone.",
        [("accessibility_statement", None)],
    ),
]


# Welsh versions of the editorial pages; the rest of the Welsh tree mirrors the English
# (aliases) until an editor translates it in the admin ("Translate").
WELSH = {
    "home": (
        "Eich cymdogaeth, eich cyllideb",
        "<p>Mae cynghorau, y GIG, yr heddlu a chyrff tai yn cronni rhan o'r hyn a wariant "
        "yn eich ardal mewn cyllideb gymdogaeth. Rydych chi'n gweld o ble daw'r arian, yn "
        "trafod y cynigion, ac yn pleidleisio ar beth sy'n cael ei ariannu.</p>",
        None,
    ),
    "how-it-works": (
        "Sut mae'n gweithio",
        "O syniadau i brosiectau wedi'u cwblhau, mewn pum cam.",
        [
            ("heading", "Syniadau"),
            (
                "paragraph",
                "<p>Mae trigolion yn awgrymu beth sydd ei angen ar eu cymdogaeth. Gall "
                "unrhyw un sy'n byw yno ymuno â fforwm y gymdogaeth.</p>",
            ),
            ("heading", "Adolygu a chostio"),
            (
                "paragraph",
                "<p>Mae trefnwyr yn gwirio bod modd gwneud pob syniad ac yn cael cost "
                "swyddogol gan dimau'r cyngor.</p>",
            ),
            ("heading", "Trafod a phleidleisio"),
            (
                "paragraph",
                "<p>Mae trigolion yn trafod y cynigion ac yn bwrw pleidlais gudd. Mae'r "
                "cyfrif yn dilyn rheolau cyhoeddedig y cyngor.</p>",
            ),
            ("heading", "Penderfyniad a chyflawni"),
            (
                "paragraph",
                "<p>Mae cynghorwyr yn cofnodi'r penderfyniad ffurfiol ac mae pob prosiect "
                "a ariennir yn cael ei ddilyn hyd at ei gwblhau, gyda phwy a dalodd a phwy "
                "sy'n elwa.</p>",
            ),
        ],
    ),
    "privacy": (
        "Preifatrwydd",
        "Beth rydyn ni'n ei gadw amdanoch chi, pam, ac am ba hyd.",
        [("privacy_notice", None)],
    ),
    "accessibility": (
        "Datganiad hygyrchedd",
        "Sut mae'r wefan hon yn gweithio i bawb.",
        [("accessibility_statement", None)],
    ),
    "news": (
        "Newyddion",
        "Beth sy'n digwydd gyda chyllidebau cymdogaeth yn Northshire.",
        None,
    ),
}


def translate_to_welsh(home: Page) -> None:
    """Welsh versions of the editorial pages, then aliases for every other page, so
    each English address also works in Welsh. Idempotent."""
    from wagtail.models import Locale

    welsh = Locale.objects.get_or_create(language_code="cy")[0]
    english_pages = list(
        home.get_descendants(inclusive=True).filter(locale=home.locale).order_by("path")
    )
    for page in english_pages:
        words = WELSH.get(page.slug)
        if words is None or page.has_translation(welsh):
            continue
        page = page.specific
        copy = page.copy_for_translation(welsh, copy_parents=True)
        title, intro, blocks = words
        copy.title = title
        copy.intro = intro
        if blocks is not None:
            copy.body = [(k, v) for k, v in blocks]
        copy.save_revision().publish()
    for page in english_pages:
        page.refresh_from_db()
        if not page.has_translation(welsh):
            page.specific.copy_for_translation(welsh, copy_parents=True, alias=True)


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
    # The council's details, which the privacy notice and accessibility statement name.
    CouncilDetails.objects.get_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={
            "council_name": "Northshire County Council",
            "address": "County Hall, Market Square, Northshire NB1 1AA",
            "ico_registration": "Z0000000",
            "data_protection_email": "dpo@northshire.example.org",
            "contact_email": "access@northshire.example.org",
            "contact_phone": "01234 567890",
            "compliance": "partial",
            "known_issues": "<ul><li>Some decision notices from before 2025, attached "
            "to news pages, are scanned PDFs without tagged text (WCAG 1.1.1 Non-text "
            "content). Ask us for an accessible copy; we will replace them by March "
            "2027.</li></ul>",
            "statement_prepared": dt.date(2026, 9, 1),
            "statement_reviewed": dt.date(2026, 11, 20),
            "last_tested": dt.date(2026, 11, 15),
            "tested_by": "Northshire County Council's digital team",
        },
    )
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
            # The council's own words beside the place's summary (which the page's
            # header shows already): never the same text twice.
            intro=f"<p>The council's notes on {place.name}: how its budgets are "
            "shared out, and where each neighbourhood's forum is.</p>",
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
    home.refresh_from_db()
    translate_to_welsh(home)
