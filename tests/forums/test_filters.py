"""The forum page's proposal filters: money in exact pence, unreadable values named."""

import re

from django.urls import reverse

from forums.models import ProposalStatus


def listed(client, **params):
    page = client.get(reverse("forums:forum", args=["lane-end"]), params)
    assert page.status_code == 200
    html = page.content.decode()
    return sorted(re.findall(r"<h3><a href=\"[^\"]*\">([^<]+)</a></h3>", html)), html


def test_cost_filters_compare_exact_pence(world, make_proposal, client):
    """£1.15 is 115 pence (as a float, 1.15 × 100 is 114.99999999999999)."""
    make_proposal(title="Cheaper", cost=1_14)
    make_proposal(title="Dearer", cost=1_15)
    make_proposal(title="Dearest", cost=250_00)
    assert listed(client, min_cost="1.15")[0] == ["Dearer", "Dearest"]
    assert listed(client, max_cost="1.14")[0] == ["Cheaper"]
    assert listed(client, min_cost="1.15", max_cost="1.15")[0] == ["Dearer"]


def test_unreadable_costs_are_left_out_and_named(world, make_proposal, client):
    make_proposal(title="Cheaper", cost=100_28)
    make_proposal(title="Dearer", cost=100_29)
    titles, html = listed(client, min_cost="1e400", max_cost="lots")
    assert titles == ["Cheaper", "Dearer"]
    assert "Some filters were left out:" in html
    assert (
        "<li>Cost from £: Ensure that there are no more than 14 digits in total.</li>"
        "<li>to £: Enter a number.</li>"
    ) in html


def test_a_hand_made_sort_is_named_in_words(world, make_proposal, client):
    make_proposal(title="Benches", cost=100_00)
    titles, html = listed(client, sort="<script>")
    assert titles == ["Benches"]
    assert "[invalid name]" not in html
    assert (
        "<li>Sort: Select a valid choice. &lt;script&gt; is not one of the available "
        "choices.</li>"
    ) in html


def test_status_category_text_and_sort(world, make_proposal, client):
    make_proposal(title="Benches by the pond", cost=300_00)
    make_proposal(title="Bulbs", cost=100_00, status=ProposalStatus.SHORTLISTED)
    make_proposal(title="Secret draft", cost=50_00, status=ProposalStatus.DRAFT)
    assert listed(client)[0] == ["Benches by the pond", "Bulbs"]
    assert listed(client, status="shortlisted")[0] == ["Bulbs"]
    assert listed(client, status="draft")[0] == ["Benches by the pond", "Bulbs"]
    assert listed(client, q="pond")[0] == ["Benches by the pond"]
    assert listed(client, category="youth")[0] == ["Benches by the pond", "Bulbs"]
    assert listed(client, category="other")[0] == []
    html = listed(client, sort="cost_low")[1]
    assert html.index("Bulbs") < html.index("Benches by the pond")
