"""Share cards: a link to a proposal or a result shows its own title and summary
(Open Graph tags), escaped like any other user text."""

from django.urls import reverse


def meta(page: str, name: str) -> str:
    """The content of <meta property="og:…"> (or name="…"), as written in the page."""
    for attribute in ("property", "name"):
        marker = f'<meta {attribute}="{name}" content="'
        if marker in page:
            start = page.index(marker) + len(marker)
            return page[start : page.index('"', start)]
    raise AssertionError(f"no {name} meta tag")


def test_a_proposal_link_shows_its_title_and_summary(world, make_proposal, client):
    proposal = make_proposal(
        title='The "big" <bench> plan', summary="Seats & shade by the pond"
    )
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert meta(page, "og:title") == "The &quot;big&quot; &lt;bench&gt; plan"
    assert meta(page, "og:description") == "Seats &amp; shade by the pond"
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:url") == f"http://testserver{proposal.get_absolute_url()}"
    assert meta(page, "twitter:card") == "summary"


def test_other_pages_share_the_site_card(world, client):
    page = client.get(
        reverse("civic:place", args=[world["home"].slug])
    ).content.decode()
    assert meta(page, "og:type") == "website"
    assert meta(page, "og:description") == (
        "See your neighbourhood budget, debate proposals and vote on how public "
        "money is spent where you live."
    )
