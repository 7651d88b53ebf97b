"""Hostile payloads stored through the forms never execute in a real browser."""

import pytest

from forums.services import comment_post, topic_create
from tests.e2e.test_voting_in_the_browser import browser  # noqa: F401
from tests.security.test_hostile_input import PAYLOADS
from tests.servers import free_port, start_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_payloads_do_not_execute_in_chromium(vote_world, browser, monkeypatch):  # noqa: F811
    from civic import ratelimit

    monkeypatch.setattr(ratelimit, "limit", lambda *a, **k: None)
    for module in ("debate", "proposals", "moderation"):
        monkeypatch.setattr(f"forums.services.{module}.limit", lambda *a, **k: None)
    w = vote_world
    proposal = w["proposals"][0]
    scripts = [p for p in PAYLOADS if "alert" in p or "__xss" in p][:150]
    for payload in scripts:
        try:
            comment_post(author=w["voters"][0], thread=proposal, body=payload)
        except Exception:  # noqa: BLE001 — a payload that sanitises to nothing is refused
            continue
    topic = topic_create(
        author=w["voters"][0],
        forum=w["forum"],
        title=scripts[0][:140],
        body=" ".join(scripts[:20]),
    )
    port = free_port()
    server = start_server(port, "", "nbxss")
    try:
        page = browser.new_context().new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for url in (
            proposal.get_absolute_url(),
            topic.get_absolute_url(),
            "/forums/lane-end/",
        ):
            page.goto(f"http://127.0.0.1:{port}{url}")
            page.wait_for_timeout(300)
            assert page.evaluate("() => window.__xss === undefined"), url
        assert dialogs == []
    finally:
        server.terminate()
        server.wait(10)
