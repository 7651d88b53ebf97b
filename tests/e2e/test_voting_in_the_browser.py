"""A resident votes in Chromium: the budget meter, keyboard-only voting, the receipt, and
live results changing while another session votes. Screenshots of the pages go to
screenshots/ (README) at phone and desktop widths; axe-core checks each page."""

import os
import shutil
from pathlib import Path

import pytest
from django.test import Client

from ballots.services import ballot_cast
from civic.models import RoleKind
from tests.factories import UserFactory, grant
from tests.servers import ROOT, free_port, start_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]
SHOTS = ROOT / "screenshots"
AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls
    # are still synchronous, so Django's async-safety guard does not apply to them.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu"],
        )
        yield b
        b.close()


def session_for(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def voter_page(browser, user, base):
    """A page in a new browser context signed in as `user`."""
    context = browser.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": session_for(user), "url": base}]
    )
    return context.new_page()


def check_axe(page, name):
    """No serious or critical accessibility violations (axe-core from npm)."""
    if not AXE.exists():
        return
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    bad = [
        (v["id"], [n["target"] for n in v["nodes"]][:5])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{name}: {bad}"


def shoot(page, name):
    SHOTS.mkdir(exist_ok=True)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        # Scrolled through first, so lazily loaded pictures are in the picture.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_timeout(300)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def test_knapsack_vote_meter_receipt_and_live_results(vote_world, browser):
    w = vote_world
    w["open"](ballot_method="knapsack", max_choices=None, min_spend_percent=0)
    # 19 neighbours have voted already: their ballots wait, sealed, for a full batch.
    for _ in range(19):
        neighbour = UserFactory(is_demo=True)
        grant(neighbour, w["hood"], RoleKind.RESIDENT)
        ballot_cast(
            user=neighbour,
            cycle=w["cycle"],
            choices={str(w["section"].pk): [w["codes"][1]]},
        )
    port = free_port()
    server = start_server(port, os.environ["REDIS_URL"], f"nbe2e{os.getpid()}")
    base = f"http://127.0.0.1:{port}"
    try:
        page = voter_page(browser, w["voters"][0], base)
        watcher = browser.new_context().new_page()
        watcher.goto(f"{base}/cycles/{w['cycle'].slug}/results/")
        watcher.wait_for_selector("#live-indicator[data-state=live]", timeout=15000)
        check_axe(watcher, "results")
        # Turnout counts them; support shows nothing until a batch of 20 is mixed in.
        assert watcher.inner_text("#turnout-cast") == "19"
        assert (
            watcher.inner_text(
                f"tr[data-code='{w['codes'][1]}'] .support-value"
            ).strip()
            == "0"
        )

        page.goto(f"{base}/cycles/{w['cycle'].slug}/vote/")
        check_axe(page, "vote")
        shoot(page, "voting")
        meter = page.locator(".meter-label").first
        assert "Chosen £0 of £60,000" in meter.inner_text()
        # Keyboard only: tab to the first project and tick it with the space bar.
        page.focus(f"#p-{w['section'].pk}-{w['codes'][3]}")
        page.keyboard.press("Space")
        assert (
            "£40,000" in meter.inner_text()
            and meter.get_attribute("aria-live") == "polite"
        )
        page.check(f"#p-{w['section'].pk}-{w['codes'][2]}")  # 40k + 30k > 60k
        assert "over budget by £10,000" in meter.inner_text()
        page.click("form.ballot button[type=submit]")
        assert "more than the budget of £60,000" in page.inner_text(
            ".error-summary"
        )  # the server is the authority
        page.uncheck(f"#p-{w['section'].pk}-{w['codes'][2]}")
        page.check(f"#p-{w['section'].pk}-{w['codes'][0]}")
        page.click("form.ballot button[type=submit]")
        receipt = page.inner_text("#receipt-code").strip()
        assert len(receipt) == 19
        shoot(page, "receipt")

        # The 20th ballot completes a batch: the watcher's page updates, no reload.
        row = watcher.locator(f"tr[data-code='{w['codes'][3]}'] .support-value")
        row.wait_for()
        watcher.wait_for_function(
            "code => document.querySelector(`tr[data-code='${code}'] .support-value`).textContent.trim() === '1'",
            arg=w["codes"][3],
            timeout=15000,
        )
        assert watcher.inner_text("#turnout-cast") == "20"
        assert (
            watcher.inner_text(
                f"tr[data-code='{w['codes'][1]}'] .support-value"
            ).strip()
            == "19"
        )
        # Rows follow support (most first), and online + paper add up to the total.
        first = watcher.locator(".live-table tbody tr").first
        assert first.get_attribute("data-code") == w["codes"][1]
        assert watcher.inner_text("#turnout-channels") == "20 / 0"
        assert "Shaded: would be funded" in watcher.inner_text(".live-legend")
        shoot(watcher, "live-results")

        check = page.context.new_page()
        check.goto(f"{base}/cycles/{w['cycle'].slug}/receipt/")
        check.fill("#id_receipt", receipt)
        check.click("main form button[type=submit]")
        assert "this ballot is in the count" in check.inner_text("main")
    finally:
        server.terminate()
        server.wait(10)


def test_the_sticky_budget_meter_never_hides_a_project(vote_world, browser):
    """Once the meter sticks to the top, a project moved into view (by the keyboard,
    going back up the list) lands below it, at phone, tablet and desktop widths."""
    w = vote_world
    w["open"](ballot_method="knapsack", max_choices=None, min_spend_percent=0)
    port = free_port()
    server = start_server(port, os.environ["REDIS_URL"], f"nbe2e{os.getpid()}")
    base = f"http://127.0.0.1:{port}"
    try:
        page = voter_page(browser, w["voters"][0], base)
        page.goto(f"{base}/cycles/{w['cycle'].slug}/vote/")
        SHOTS.mkdir(exist_ok=True)
        for width in (390, 768, 1280):
            page.set_viewport_size({"width": width, "height": 380})
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            boxes = page.locator("form.ballot .ballot-item input")
            for i in reversed(range(boxes.count())):  # back up the list, as shown
                boxes.nth(i).focus()
                meter = page.locator(".meter-box").bounding_box()
                item = page.locator("form.ballot .ballot-item").nth(i).bounding_box()
                below = item["y"] >= meter["y"] + meter["height"] - 1
                above = item["y"] + item["height"] <= meter["y"] + 1
                in_view = item["y"] >= 0 and item["y"] + item["height"] <= 381
                assert in_view and (below or above), (width, i, meter, item)
            page.screenshot(path=str(SHOTS / f"ballot-meter-{width}.png"))
    finally:
        server.terminate()
        server.wait(10)
