"""A poll officer's shift in Chromium: signing in, the desk from their account page; a
voter looked up and handed the screen (a kiosk vote in focus mode, with nothing of the
site around it, back to the desk after the cast), a voter helped, a paper ballot keyed
in, a screen left idle going back to the desk by itself (its hand-over void), a voter
who has already voted refused, spoilt papers recorded, the point's ballot account.
Screenshots of the desk and the screen go to screenshots/."""

import pytest

from ballots.models import Channel, VoterRecord
from tests.ballots.conftest import (  # noqa: F401
    _no_frozen_cache,
    point_world,
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


def test_a_poll_officers_shift(point_world, browser):  # noqa: F811
    w = point_world
    cycle, point, clerk = w["cycle"], w["point"], w["clerk"]
    first, second, third = w["voters"][:3]
    port = free_port()
    server = start_server(port, "", "nbdesk", extra_env={"NB_DEMO_MFA_EXEMPT": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        page = browser.new_context(viewport={"width": 1024, "height": 900}).new_page()
        # The screen's idle timer runs on a clock the test moves (below).
        page.clock.install()
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=login]", clerk.email)
        page.fill("input[name=password]", "pw-for-tests-1")
        page.click("form button[type=submit]")
        page.goto(f"{base}/profile/")
        page.click("text=Lane End Library")
        desk = f"{base}/polling-points/{point.pk}/"
        assert page.url == desk and page.inner_text("h1") == "Lane End Library"

        def look_up(person):
            page.fill("#id_q", person.display_name)
            page.click("form:has(#id_q) button[type=submit]")
            return page.locator(".desk-person", has_text=person.public_name)

        # A kiosk vote: the screen handed over, the ballot cast in private.
        found = look_up(first)
        assert "Not voted yet: may vote." in found.inner_text()
        check_axe(page, "the desk")
        shoot(page, "desk")
        found.locator("button", has_text="Hand over the screen").click()
        assert page.locator(".kiosk-bar").count() == 1
        assert page.locator(".site-nav").count() == 0
        assert page.locator("footer").count() == 0
        check_axe(page, "the screen handed over")
        shoot(page, "desk-screen")
        # The screen's ballot is in focus mode: the budget, then the review.
        assert page.locator(".focus-step:visible").inner_text() == "Budget 1 of 1"
        page.check(f"#p-{w['section'].pk}-{w['codes'][0]}")
        page.click("text=Review my choices")
        check_axe(page, "the screen's review")
        page.click("text=Cast my vote")
        assert "A ballot was cast on the screen." in page.inner_text(".messages")
        assert page.url.startswith(desk) and page.locator(".kiosk-bar").count() == 0

        # Someone who asks for help.
        found = look_up(second)
        found.locator("input[name=assisted]").check()
        found.locator("button", has_text="Hand over the screen").click()
        page.check(f"#p-{w['section'].pk}-{w['codes'][1]}")
        page.click("text=Review my choices")
        page.click("text=Cast my vote")

        # A paper ballot from the box.
        look_up(third).locator("a", has_text="Enter their paper ballot").click()
        assert f"The paper ballot of {third.public_name}" in page.inner_text("h1")
        page.check(f"#p-{w['section'].pk}-{w['codes'][2]}")
        page.click("form.ballot button[type=submit]")
        assert "The paper ballot was entered." in page.inner_text(".messages")

        # Someone walks away from the screen: after two idle minutes it goes back to
        # the desk, and that hand-over cannot be used again, even from the history.
        fourth = w["voters"][3]
        look_up(fourth).locator("button", has_text="Hand over the screen").click()
        screen_url = page.url
        page.check(f"#p-{w['section'].pk}-{w['codes'][3]}")
        page.clock.fast_forward("02:05")
        back_at_desk = f"{desk}?vote={cycle.slug}"
        page.wait_for_url(back_at_desk)
        assert page.locator("form.ballot").count() == 0
        page.goto(screen_url)
        assert page.url == back_at_desk
        assert "That hand-over ended without a ballot" in page.inner_text(".messages")
        assert not VoterRecord.objects.filter(cycle=cycle, user=fourth).exists()

        # Already voted: no way to vote again.
        found = look_up(first)
        assert "Has voted in this vote." in found.inner_text()
        assert found.locator("button").count() == 0

        # Spoilt papers, and the point's ballot account.
        page.fill("#id_number", "1")
        page.click("form:has(#id_number) button[type=submit]")
        account = page.inner_text(".facts")
        for line in (
            "Marked on the register here\n3",
            "Cast on the screen\n2",
            "Paper ballots entered\n1",
            "Voters helped\n1",
            "Spoilt papers\n1",
        ):
            assert line.upper() in account.upper(), (
                account
            )  # the labels are in capitals
        records = VoterRecord.objects.filter(cycle=cycle, polling_point=point)
        assert sorted(records.values_list("channel", "assisted")) == sorted(
            [
                (Channel.POLLING_POINT, False),
                (Channel.POLLING_POINT, True),
                (Channel.PAPER, False),
            ]
        )
    finally:
        server.terminate()
        server.wait(10)
