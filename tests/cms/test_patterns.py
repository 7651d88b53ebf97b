"""The pattern library (development only) shows every component in
templates/components/ and every colour token; outside development it does not exist.
Every component is used by the pages, which build their repeated markup from them."""

import re

import pytest

from tests.servers import ROOT

pytestmark = pytest.mark.django_db

COMPONENTS = ROOT / "templates" / "components"


def _pages():
    return [
        p
        for p in (ROOT / "templates").rglob("*.html")
        if "components" not in p.parts
        and p.name != "patterns.html"
        and "email" not in p.parts
    ]


def test_every_component_and_colour_token_is_shown(client, settings):
    settings.DEBUG = True
    page = client.get("/patterns/")
    assert page.status_code == 200
    html = page.content.decode()
    for component in COMPONENTS.glob("*.html"):
        assert f"<code>components/{component.name}</code>" in html, component.name
    assert '<span class="status status-in_delivery">Being delivered</span>' in html
    assert '<span class="stat-value stat-small">Equal shares</span>' in html
    # The sample form is shown with its error, next to the field.
    assert '<p class="error-text">Enter a number.</p>' in html
    # The sample chart: the largest figure is the full width, a grey bar is muted.
    assert 'width="560" class="bar-funded"' in html
    assert 'class="bar-not"' in html
    tokens = (ROOT / "civic/static/civic/tokens.css").read_text()
    assert (
        'style="background: var(--status-good-bg)"' in html
        and "--status-good-bg" in tokens
    )


def test_outside_development_there_is_no_pattern_library(client, settings):
    settings.DEBUG = False
    assert client.get("/patterns/").status_code == 404


def test_components_are_used_by_the_pages():
    """Each component is used by at least one page template besides the library, as a
    tag (<c-page-header>) or, for the field and form errors, included."""
    texts = [p.read_text() for p in _pages()]
    for component in COMPONENTS.glob("*.html"):
        tag = "<c-" + component.stem.replace("_", "-")
        path = f'"components/{component.name}"'
        users = [
            t for t in texts if re.search(re.escape(tag) + r"[\s/>]", t) or path in t
        ]
        assert users, component.name


def test_the_pages_write_no_card_table_or_header_markup_of_their_own():
    """Cards, data tables, page headers, messages and error summaries come from the
    components, so a designer restyles each in one place. One page keeps a card's
    class: allauth's layout, whose {% block %}s must not sit inside a component (a
    block inside a component tag is not filled by the templates that extend it)."""
    own = re.compile(
        r'class="[^"]*(?<![\w-])(card|data-table|page-header|message|error-summary)'
        r'(?![\w-])[^"]*"'
    )
    found = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in _pages()
        for m in own.finditer(p.read_text())
    ]
    assert found == [
        'templates/allauth/layouts/base.html: class="narrow card auth-card"'
    ]
