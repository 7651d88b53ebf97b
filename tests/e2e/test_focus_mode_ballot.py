"""The focus-mode ballot in Chromium at 390 px (and 320 px): one budget at a time with
its rule in words updating as the voter chooses, Back and Next on every step (by
keyboard too), a review of every choice with a way back to change it, then the cast
and the receipt; axe-clean after every step, the focused control never under the
sticky meter (WCAG 2.4.11). Without JavaScript the same page is the plain form
(tests/e2e/test_no_script_runs.py covers the ballot without scripts)."""

import pytest

from ballots.models import Phase, VoterRecord
from ballots.services import cycle_set_phase
from civic.models import FrameworkRules
from tests.ballots.conftest import (  # noqa: F401
    _no_frozen_cache,
    district,
    vote_world,
)
from tests.e2e.test_voting_in_the_browser import (  # noqa: F401
    browser,
    check_axe,
    shoot,
    voter_page,
)
from tests.servers import free_port, start_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_a_focus_mode_vote_at_390_px(district, browser):  # noqa: F811
    w, cycle, own, far = district
    FrameworkRules.objects.filter(place=w["county"]).update(
        voting_scope="all", max_choices=2
    )
    cycle_set_phase(actor=w["officer"], cycle=cycle, phase=Phase.VOTING)
    port = free_port()
    server = start_server(port, "", "nbfocus")
    base = f"http://127.0.0.1:{port}"
    try:
        page = voter_page(browser, w["voters"][0], base)
        page.set_viewport_size({"width": 390, "height": 800})
        page.goto(f"{base}/cycles/{cycle.slug}/vote/")
        page.click("text=One budget at a time")
        steps = page.locator(".focus-step:visible")
        assert steps.inner_text() == "Budget 1 of 2"
        section = page.locator(f'fieldset[data-section="{own.pk}"]')
        assert section.is_visible()
        assert not page.locator(f'fieldset[data-section="{far.pk}"]').is_visible()
        rule = section.locator(".focus-rules")
        assert rule.inner_text() == "You can choose 2 more projects."
        check_axe(page, "focus mode: the first budget")
        page.check(f"#p-{own.pk}-{w['codes'][0]}")
        assert rule.inner_text() == "You can choose 1 more project."
        check_axe(page, "focus mode: a project chosen")
        shoot(page, "focus-first-budget")

        # Next, by keyboard: the focus moves to the step's heading.
        section.locator("button", has_text="Next: Zed Town").focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.textContent") == "Budget 2 of 2"
        check_axe(page, "focus mode: the second budget")
        page.click("text=Back")
        assert steps.inner_text() == "Budget 1 of 2"
        assert page.is_checked(f"#p-{own.pk}-{w['codes'][0]}")  # nothing lost
        page.click("text=Next: Zed Town")
        far_section = page.locator(f'fieldset[data-section="{far.pk}"]')
        far_code = far_section.locator("input[type=checkbox]").first
        # Tabbing to a project: the sticky meter never covers it.
        far_code.focus()
        meter = far_section.locator(".meter-box").bounding_box()
        box = far_code.bounding_box()
        assert box["y"] >= meter["y"] + meter["height"] - 1
        far_code.check()
        page.click("text=Review my choices")
        review = page.locator(".focus-review")
        assert page.evaluate("document.activeElement.textContent") == (
            "Check your choices"
        )
        text = review.inner_text()
        assert (
            "Lane End" in text and "P1" in text and "Zed Town" in text and "Z1" in text
        )
        check_axe(page, "focus mode: the review")
        shoot(page, "focus-review")
        # Change a budget from the review, and come back.
        page.click("text=Change Lane End")
        assert steps.inner_text() == "Budget 1 of 2"
        page.check(f"#p-{own.pk}-{w['codes'][1]}")
        page.click("text=Next: Zed Town")
        page.click("text=Review my choices")
        assert "P2" in review.inner_text()
        page.set_viewport_size({"width": 320, "height": 700})
        check_axe(page, "focus mode: the review at 320 px")
        page.click("text=Cast my vote")
        assert len(page.inner_text("#receipt-code").strip()) == 19
        assert VoterRecord.objects.filter(cycle=cycle, user=w["voters"][0]).exists()
    finally:
        server.terminate()
        server.wait(10)
