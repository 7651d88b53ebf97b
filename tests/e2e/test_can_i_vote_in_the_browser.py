"""“Can I vote?” in Chromium at 390 px, before voting opens: an eligible postcode and
an ineligible one, each answer read and checked with axe. Screenshots go to
screenshots/."""

import pytest

from civic.models import Place
from tests.ballots.conftest import _no_frozen_cache, vote_world  # noqa: F401
from tests.e2e.test_voting_in_the_browser import (  # noqa: F401
    browser,
    check_axe,
    shoot,
)
from tests.servers import free_port, start_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_can_i_vote_for_an_eligible_and_an_ineligible_postcode(vote_world, browser):  # noqa: F811
    w = vote_world
    Place.objects.filter(pk=w["hood"].pk).update(postcode_areas="LE1 1")
    Place.objects.filter(pk=w["other"].pk).update(postcode_areas="ZT9")
    port = free_port()
    server = start_server(port, "", "nbcanvote")
    base = f"http://127.0.0.1:{port}"
    try:
        page = browser.new_context(viewport={"width": 390, "height": 900}).new_page()
        page.goto(f"{base}/cycles/{w['cycle'].slug}/")
        page.click("text=Can I vote?")
        page.fill("#id_postcode", "le1 1ab")
        page.click("form.postcode-form button[type=submit]")
        answer = page.inner_text(".answer")
        assert "Yes: residents of Lane End can vote in Lane End 2026." in answer
        assert "You vote on the budget of Lane End." in answer
        assert "You must be 16 or over." in answer
        check_axe(page, "can I vote: yes")
        shoot(page, "can-i-vote-yes")

        page.fill("#id_postcode", "ZT9 4QQ")
        page.click("form.postcode-form button[type=submit]")
        answer = page.inner_text(".answer")
        assert "ZT9 4QQ is in Zed Town; this vote is for Lane End only." in answer
        check_axe(page, "can I vote: no")
        shoot(page, "can-i-vote-no")

        page.fill("#id_postcode", "hello")
        page.click("form.postcode-form button[type=submit]")
        assert "is not a UK postcode" in page.inner_text(".error-text")
        check_axe(page, "can I vote: a wrong postcode")
    finally:
        server.terminate()
        server.wait(10)
