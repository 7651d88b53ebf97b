"""Approval, ranked and points ballots in Chromium, each with its live meter, then cast."""

import pytest

from tests.ballots import box
from tests.e2e.test_voting_in_the_browser import browser, check_axe, voter_page  # noqa: F401
from tests.servers import free_port, start_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

RULES = {
    "approval": {"ballot_method": "approval", "max_choices": 2},
    "ranked": {"ballot_method": "ranked", "max_ranked": 3},
    "points": {"ballot_method": "points", "points_per_voter": 10},
}


@pytest.mark.parametrize("method", list(RULES))
def test_ballot_method_in_the_browser(vote_world, browser, method):  # noqa: F811
    w = vote_world
    w["open"](**RULES[method])
    port = free_port()
    server = start_server(port, "", f"nbmethod{method}")
    base = f"http://127.0.0.1:{port}"
    sid = w["section"].pk
    codes = w["codes"]
    try:
        page = voter_page(browser, w["voters"][0], base)
        page.goto(f"{base}/cycles/{w['cycle'].slug}/vote/")
        check_axe(page, f"vote-{method}")
        meter = page.locator(".meter-label").first
        if method == "approval":
            for code in codes[:3]:
                page.check(f"#p-{sid}-{code}")
            assert "3 projects chosen of at most 2" in meter.inner_text()
            page.uncheck(f"#p-{sid}-{codes[2]}")
            expected = sorted(codes[:2])
        elif method == "ranked":
            page.select_option(f"#p-{sid}-{codes[2]}", "1")
            page.select_option(f"#p-{sid}-{codes[0]}", "1")
            assert "two projects share a number" in meter.inner_text()
            page.select_option(f"#p-{sid}-{codes[0]}", "2")
            assert "2 of 3 ranked" in meter.inner_text()
            expected = [codes[2], codes[0]]
        else:
            page.fill(f"#p-{sid}-{codes[0]}", "8")
            page.fill(f"#p-{sid}-{codes[1]}", "4")
            assert "12 of 10 points used: 2 too many" in meter.inner_text()
            page.fill(f"#p-{sid}-{codes[1]}", "2")
            assert "10 of 10 points used" in meter.inner_text()
            expected = {codes[0]: 8, codes[1]: 2}
        page.click("form.ballot button[type=submit]")
        assert len(page.inner_text("#receipt-code").strip()) == 19
        (ballot,) = box.ballots_in(w["cycle"])
        assert ballot[str(sid)] == expected
    finally:
        server.terminate()
        server.wait(10)


def test_the_welsh_budget_meter_writes_pounds_as_the_site_does(vote_world, browser):  # noqa: F811
    """In Cymraeg the meter reads "£40,000", never "£ 40,000"."""
    w = vote_world
    w["open"](ballot_method="knapsack", max_choices=None)
    port = free_port()
    server = start_server(port, "", "nbmetercy")
    base = f"http://127.0.0.1:{port}"
    try:
        page = voter_page(browser, w["voters"][0], base)
        page.context.add_cookies(
            [{"name": "django_language", "value": "cy", "url": base}]
        )
        page.goto(f"{base}/cycles/{w['cycle'].slug}/vote/")
        assert page.get_attribute("html", "lang") == "cy"
        page.check(f"#p-{w['section'].pk}-{w['codes'][3]}")
        text = page.locator(".meter-label").first.inner_text()
        assert "£40,000" in text and "£60,000" in text and "£ " not in text
    finally:
        server.terminate()
        server.wait(10)
