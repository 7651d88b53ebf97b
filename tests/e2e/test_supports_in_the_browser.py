"""Supports in Chromium: a resident supports proposals on the forum page up to the
rules' number, sees a neighbour's support arrive live, withdraws one to support
another; the officer closes supports, and the shortlist is built from them, each
proposal's timeline saying why. Screenshots of the forum page go to screenshots/."""

import pytest

from ballots.models import Cycle, Phase
from ballots.services.supports import support
from forums.models import Proposal, ProposalStatus
from tests.ballots.conftest import (  # noqa: F401
    _no_frozen_cache,
    supports_world,
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


def card(page, title):
    return page.locator(".proposal-card").filter(
        has=page.get_by_role("link", name=title, exact=True)
    )


def test_residents_support_proposals_and_the_shortlist_is_built_from_them(
    supports_world,  # noqa: F811
    browser,  # noqa: F811
):
    w = supports_world
    cycle = w["open_supports"]()
    p1, p2, p3, p4 = w["proposals"]
    port = free_port()
    server = start_server(port, "", "nbsupports", extra_env={"NB_DEMO_MFA_EXEMPT": "1"})
    base = f"http://127.0.0.1:{port}"
    forum_url = f"{base}/forums/{w['forum'].slug}/"
    try:
        resident = voter_page(browser, w["voters"][0], base)
        resident.set_viewport_size({"width": 390, "height": 900})
        resident.goto(forum_url)
        banner = resident.inner_text(".supports-banner")
        assert "Help build the shortlist" in banner
        assert "You have 2 supports left." in banner
        assert (
            "The 2 most supported proposals of each budget go on the ballot" in banner
        )

        card(resident, "P1").locator("button", has_text="Support").click()
        assert "You support “P1”. You have 1 support left." in resident.inner_text(
            ".messages"
        )
        assert card(resident, "P1").locator(".support-count").inner_text() == (
            "1 support"
        )
        card(resident, "P2").locator("button", has_text="Support").click()
        # The limit, in words; nothing stored.
        card(resident, "P3").locator("button", has_text="Support").click()
        assert (
            "You have used all 2 of your supports: withdraw one to support another "
            "proposal." in resident.inner_text(".messages")
        )
        check_axe(resident, "forum page with supports")
        # Withdraw one, support another.
        card(resident, "P1").locator("button", has_text="Supported: withdraw").click()
        assert "You no longer support “P1”." in resident.inner_text(".messages")
        card(resident, "P3").locator("button", has_text="Support").click()
        assert "You have 0 supports left." in resident.inner_text(".supports-banner")

        # A neighbour's support, from their own browser, reaches the open page
        # without a reload.
        neighbour = voter_page(browser, w["voters"][1], base)
        neighbour.goto(forum_url)
        card(neighbour, "P3").locator("button", has_text="Support").click()
        assert "You support “P3”." in neighbour.inner_text(".messages")
        resident.wait_for_function(
            f"document.querySelector('[data-support-count=\"{p3.pk}\"]')"
            ".textContent.trim() === '2 supports'",
            timeout=20000,
        )
        shoot(resident, "supports-forum")
        support(user=w["voters"][1], cycle=cycle, proposal=p2)

        # The officer closes supports: P2 and P3 (2 supports each) go through.
        officer = voter_page(browser, w["officer"], base)
        officer.goto(f"{base}/cycles/{cycle.slug}/")
        options = officer.eval_on_selector_all(
            "select[name=phase] option", "options => options.map(o => o.value)"
        )
        assert options == ["shortlist"]
        officer.select_option("select[name=phase]", "shortlist")
        officer.click("form:has(select[name=phase]) button[type=submit]")
        assert Cycle.objects.get(pk=cycle.pk).phase == Phase.SHORTLIST
        statuses = {
            p.title: p.status
            for p in Proposal.objects.filter(pk__in=[p1.pk, p2.pk, p3.pk, p4.pk])
        }
        assert statuses == {
            "P1": ProposalStatus.PUBLISHED,
            "P2": ProposalStatus.SHORTLISTED,
            "P3": ProposalStatus.SHORTLISTED,
            "P4": ProposalStatus.PUBLISHED,
        }
        resident.goto(f"{base}{p1.get_absolute_url()}")
        assert (
            "Not shortlisted: 0 supports, 3 of 4 in Lane End; the 2 most supported "
            "went through (the last with 2)." in resident.inner_text(".timeline")
        )
        resident.goto(f"{base}{p3.get_absolute_url()}")
        assert (
            "Shortlisted from supports: 2 supports, 2 of 4 in Lane End (the 2 most "
            "supported go through)." in resident.inner_text(".timeline")
        )
        # Supports are over: no button, no banner.
        resident.goto(forum_url)
        assert resident.locator(".supports-banner").count() == 0
        assert resident.locator(".supports button").count() == 0
    finally:
        server.terminate()
        server.wait(10)
