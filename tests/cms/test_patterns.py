"""The pattern library (development only) shows every component in
templates/components/ and every colour token; outside development it does not exist."""

import pytest

from tests.servers import ROOT

pytestmark = pytest.mark.django_db


def test_every_component_and_colour_token_is_shown(client, settings):
    settings.DEBUG = True
    page = client.get("/patterns/")
    assert page.status_code == 200
    html = page.content.decode()
    components = sorted(
        p.name for p in (ROOT / "templates" / "components").glob("*.html")
    )
    assert components == ["stat.html", "status.html", "tag.html"]
    for name in components:
        assert f"<code>components/{name}</code>" in html
    assert '<span class="status status-in_delivery">Being delivered</span>' in html
    assert '<span class="stat-value stat-small">Equal shares</span>' in html
    tokens = (ROOT / "civic/static/civic/tokens.css").read_text()
    assert (
        'style="background: var(--status-good-bg)"' in html
        and "--status-good-bg" in tokens
    )


def test_outside_development_there_is_no_pattern_library(client, settings):
    settings.DEBUG = False
    assert client.get("/patterns/").status_code == 404


def test_components_are_used_by_the_pages():
    """Each component is included by at least one page template besides the library."""
    templates = [
        p
        for p in (ROOT / "templates").rglob("*.html")
        if "components" not in p.parts and p.name != "patterns.html"
    ]
    for component in (ROOT / "templates" / "components").glob("*.html"):
        users = [
            p for p in templates if f'"components/{component.name}"' in p.read_text()
        ]
        assert users, component.name
