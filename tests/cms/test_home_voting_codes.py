"""The home page points residents without an account at voting with their code."""

from ballots.models import Cycle


def test_an_open_vote_that_takes_codes_links_to_the_code_page(demo_site, client):
    page = client.get("/").content.decode()
    assert (
        '<a href="/cycles/old-mill-2026/code/">vote with a code from your letter</a>'
        in page
    )


def test_no_code_link_where_the_rules_refuse_posted_codes(demo_site, client):
    cycle = Cycle.objects.get(slug="old-mill-2026")
    cycle.frozen_rules = {**cycle.frozen_rules, "verification_methods": ["postcode"]}
    cycle.save(update_fields=["frozen_rules"])
    page = client.get("/").content.decode()
    assert "/cycles/old-mill-2026/code/" not in page
