"""Every main public page of the demo site, in Chromium: no serious or critical axe-core
violations, and a screenshot at phone and desktop widths (screenshots/)."""

import pytest
from django.core.management import call_command

from accountability.models import Decision
from tests.e2e.test_voting_in_the_browser import browser, check_axe, session_for, shoot  # noqa: F401
from tests.servers import free_port, start_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_public_pages_are_accessible(browser, settings):  # noqa: F811
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    settings.DEBUG = False
    decision = Decision.objects.filter(published_at__isnull=False).first()
    port = free_port()
    server = start_server(port, "", "nbpages")
    base = f"http://127.0.0.1:{port}"
    pages = {
        "place": "/northshire/",
        "neighbourhood": "/places/old-mill/",
        "forum-page": "/northshire/old-mill/",
        "ideas": "/forums/old-mill/ideas/",
        "results-final": "/cycles/canal-side-2025/results/",
        "recount": "/cycles/canal-side-2025/recount/",
        "statistics": "/cycles/old-mill-2026/statistics/",
        "cycle": "/cycles/old-mill-2026/",
        "decision-notice": f"/decisions/{decision.pk}/",
        "report": "/places/northshire/report/",
        "how-it-works": "/how-it-works/",
        "news": "/news/",
        "search": "/search/?q=crossing",
        "open-data": "/open-data/",
        "open-data-place": "/open-data/?place=canal-side",
        "sign-in": "/accounts/login/",
        "sign-up": "/accounts/signup/",
        "password-reset": "/accounts/password/reset/",
    }
    try:
        page = browser.new_context().new_page()
        for name, path in pages.items():
            response = page.goto(base + path)
            assert response.status == 200, (name, response.status)
            check_axe(page, name)
            shoot(page, name)
        # Account pages are the site's components: a full-size green button, not
        # allauth's small grey one.
        page.goto(base + "/accounts/login/")
        button = page.locator("main form button[type=submit]")
        assert button.inner_text() == "Sign in"
        # --brand, #1f6b4a
        background = button.evaluate("b => getComputedStyle(b).backgroundColor")
        assert background == "rgb(31, 107, 74)"
        assert (
            page.locator("link[rel=icon]").get_attribute("href").endswith("favicon.svg")
        )
        response = page.goto(base + "/no-such-page/")
        assert response.status == 404
        assert page.inner_text("h1") == "Page not found"
        check_axe(page, "not-found")
        shoot(page, "not-found")
        # The language switcher in the footer: the same addresses, in Welsh.
        page.goto(base + "/")
        page.select_option("#language-select", "cy")
        page.click("form.language-switcher button[type=submit]")
        page.wait_for_load_state()
        assert page.get_attribute("html", "lang") == "cy"
        assert "Eich cymdogaeth, eich cyllideb" in page.inner_text("main")
        check_axe(page, "home-cy")
        shoot(page, "home-cy")
        for name, path in (
            ("forum-page-cy", "/northshire/old-mill/"),
            ("how-it-works-cy", "/how-it-works/"),
            ("sign-in-cy", "/accounts/login/"),
        ):
            assert page.goto(base + path).status == 200
            check_axe(page, name)
        shoot(page, "how-it-works-cy")
        assert page.inner_text("h1") == "Mewngofnodi"
        assert "Cofio fi" in page.inner_text("main")
        shoot(page, "sign-in-cy")
        assert page.goto(base + "/no-such-page/").status == 404
        assert page.inner_text("h1") == "Heb ddod o hyd i’r dudalen"
        from civic.models import User

        admin = browser.new_context()
        admin.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": session_for(
                        User.objects.get(email="organiser@example.org")
                    ),
                    "url": base,
                }
            ]
        )
        dash = admin.new_page()
        assert dash.goto(base + "/admin/").status == 200
        assert "Needs your attention" in dash.inner_text("body")
        shoot(dash, "admin-dashboard")
        assert dash.goto(base + "/admin/work/").status == 200
        assert "Old Mill forum" in dash.inner_text("main")
        shoot(dash, "admin-work")
    finally:
        server.terminate()
        server.wait(10)
