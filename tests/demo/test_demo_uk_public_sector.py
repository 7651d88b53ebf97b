"""The demo county as a UK council has it: official codes, a boundary change with two
generations that a past vote's map keeps, and the CIL neighbourhood portion in a budget."""

import json

from bs4 import BeautifulSoup
from django.urls import reverse

from civic.models import BoundaryGeneration, CilReceipt, Place
from civic.selectors import current_budget


def test_the_councils_places_have_gss_codes(demo_site):
    codes = dict(Place.objects.exclude(gss_code="").values_list("slug", "gss_code"))
    assert codes == {
        "northshire": "E10000099",
        "eastbrook": "E07000991",
        "westmere": "E07000992",
        "millbrook-ward": "E05099101",
        "castle-ward": "E05099102",
        "riverside-ward": "E05099201",
        "hillcrest-parish": "E04099201",
    }


def test_a_boundary_change_keeps_last_years_map(demo_site, client):
    canal = Place.objects.get(slug="canal-side")
    first, change = BoundaryGeneration.objects.filter(place=canal)
    assert first.valid_from is None and change.valid_from is not None
    assert first.geometry != change.geometry
    assert canal.boundary == change.geometry
    results = client.get(reverse("ballots:results", args=["canal-side-2025"]))
    assert results.context["boundaries"]["features"][0]["geometry"] == first.geometry
    response = client.get(reverse("forums:forum", args=["canal-side"]), follow=True)
    assert response.status_code == 200, response
    page = BeautifulSoup(response.content, "html.parser")
    drawn = json.loads(page.find(id="forum-boundaries").string)
    assert drawn["features"][0]["geometry"] == change.geometry


def test_canal_sides_budget_has_the_cil_neighbourhood_portion(demo_site, client):
    receipt = CilReceipt.objects.get(place__slug="canal-side")
    # 15% of £180,000 is £27,000: over the cap of £100 for each of 160 homes.
    assert (receipt.receipts_pence, receipt.portion_pence) == (180_000_00, 16_000_00)
    budget = current_budget(receipt.place)
    [held] = [c for c in budget.contributions.all() if c.cil_receipt_id]
    assert (held.body.name, held.amount_pence) == (
        "Eastbrook District Council",
        12_000_00,
    )
    page = client.get(reverse("civic:place", args=["canal-side"]))
    assert "from the Community Infrastructure Levy" in page.content.decode()
