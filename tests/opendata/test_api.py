"""The public read API: the same figures as the pages, never more than they show,
filters, conditional GET, CORS and the rate limit."""

import datetime as dt
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.urls import reverse

from ballots.models import VoterRecord
from civic.models import BoundaryGeneration, Place

pytestmark = pytest.mark.django_db

API = "/api/v1"


def get(client, path, **params):
    response = client.get(API + path, params)
    assert response.status_code == 200, (path, response.content[:300])
    return response.json()


def whole_pounds(pence: int) -> str:
    assert pence % 100 == 0
    return f"£{pence // 100:,}"


def test_a_place_has_the_figures_of_its_page(client, open_world):
    place = open_world["old_mill"]
    found = get(client, f"/places/{place.slug}")
    page = BeautifulSoup(
        client.get(reverse("civic:place", args=[place.slug])).content, "html.parser"
    )
    table = page.find("caption", string="Contributions by public body").parent
    shown = [
        (
            row.th.find(string=True, recursive=False).strip()
            or row.th.get_text(" ", strip=True).split("  ")[0],
            row.find_all("td")[0].get_text(strip=True),
            row.find_all("td")[1].get_text(strip=True),
        )
        for row in table.tbody.find_all("tr")
    ]
    assert [
        (s["body_name"], whole_pounds(s["amount_pence"]), f"{s['percent']}%")
        for s in found["money_in"]
    ] == shown
    # £60,000 from the council and £15,000 from the NHS: 80% and 20%.
    assert [s["percent"] for s in found["money_in"]] == [80.0, 20.0]
    total = table.tfoot.find("td").get_text(strip=True)
    assert whole_pounds(found["budget"]["total_pence"]) == total == "£75,000"
    assert found["ring_fenced"] == [
        {"category": "health", "category_name": "Health", "minimum_pence": 5000_00}
    ]
    assert "£5,000 ring-fenced for Health" in page.get_text(" ")
    rules = {r["name"]: r for r in found["rules"]}
    assert rules["ballot_method"] == {
        "name": "ballot_method",
        "value": "approval",
        "set_by": open_world["old_mill"].get_parent().slug,
        "locked_by": None,
    }
    assert rules["min_age"]["value"] == 16
    assert found["parent"] == "shire" and found["boundary"] is None
    assert found["gss_code"] is None and found["boundary_generations"] == []


def test_a_place_gives_its_official_code_and_boundary_generations(client, open_world):
    place = open_world["old_mill"]
    Place.objects.filter(pk=place.pk).update(gss_code="E05000042")
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    BoundaryGeneration.objects.create(place=place, geometry=square, source="GIS")
    BoundaryGeneration.objects.create(
        place=place,
        valid_from=dt.date(2026, 5, 7),
        geometry=square,
        source="The Shire (Electoral Changes) Order 2026",
    )
    found = get(client, f"/places/{place.slug}")
    assert found["gss_code"] == "E05000042"
    assert found["boundary_generations"] == [
        {"valid_from": None, "source": "GIS"},
        {
            "valid_from": "2026-05-07",
            "source": "The Shire (Electoral Changes) Order 2026",
        },
    ]
    listed = {p["slug"]: p for p in get(client, "/places")}
    assert listed[place.slug]["gss_code"] == "E05000042"


def _walk(client, world) -> str:
    """Every endpoint of the schema, with every filter the site has, as anonymous."""
    schema = client.get(API + "/openapi.json").json()
    seen = []
    slugs = {
        "slug": [world["old_mill"].slug, world["counted"].slug, world["voting"].slug],
        "id": [world["proposal"].pk, world["hidden"].pk, world["draft_proposal"].pk],
    }
    filters = [
        {},
        {"place": world["old_mill"].slug},
        {"status": "draft"},
        {"status": "submitted"},
        {"status": "shortlisted"},
        {"cycle": world["voting"].slug},
        {"cost_min": 0, "cost_max": 10**9},
        {"page_size": 100},
    ]
    for path in schema["paths"]:
        path = path.removeprefix(API)
        names = re.findall(r"{(\w+)}", path)
        values = slugs[names[0]] if names else [None]
        for value in values:
            url = path.replace(f"{{{names[0]}}}", str(value)) if names else path
            for params in filters:
                response = client.get(API + url, params)
                assert response.status_code in (200, 404, 422), (url, params)
                seen.append(response.content.decode())
    return "\n".join(seen)


def test_nothing_the_site_does_not_show_appears_through_any_endpoint(
    client, open_world
):
    w = open_world
    everything = _walk(client, w)
    assert "Hidden planters" not in everything
    assert "Draft bike hangar" not in everything
    assert w["draft"].title == "Defer" and '"title": "Defer"' not in everything
    assert f'"reference": "{w["published"].reference}"' in everything
    for user in w["users"].values():
        assert user.email not in everything
    receipts = [r for r in VoterRecord.objects.values_list("replace_hash", flat=True)]
    assert all(r not in everything for r in receipts if r)
    assert w["comment"].body not in everything
    # The open vote's counts are nowhere; its results answer 404.
    response = client.get(f"{API}/cycles/{w['voting'].slug}/results")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "The results of this vote are not published yet."
    }


def test_results_once_published_say_what_was_funded_and_why(client, open_world):
    w = open_world
    found = get(client, f"/cycles/{w['counted'].slug}/results")
    (section,) = found["sections"]
    assert section["budget_pence"] == 30000_00 and section["voters"] == 1
    funded = [p for p in section["projects"] if p["funded"]]
    assert [p["proposal"] for p in funded] == [w["funded"].pk]
    assert all(p["why"] for p in section["projects"])


def test_proposal_filters_match_the_forum(client, open_world):
    w = open_world
    every = get(client, "/proposals", page_size=100)
    here = get(client, "/proposals", place=w["old_mill"].slug, page_size=100)
    assert every["count"] == 7  # 4 on the open ballot, 1 published, 2 in Zed Town
    assert {p["place"] for p in here["items"]} == {w["old_mill"].slug}
    assert here["count"] == 5
    on_ballot = get(client, "/proposals", cycle=w["voting"].slug)
    assert sorted(p["title"] for p in on_ballot["items"]) == ["P1", "P2", "P3", "P4"]
    cheap = get(client, "/proposals", place=w["old_mill"].slug, cost_max=20000_00)
    assert sorted(p["cost_pence"] for p in cheap["items"]) == [
        1000_00,
        10000_00,
        20000_00,
    ]
    assert get(client, "/proposals", status="draft")["count"] == 0
    assert get(client, "/proposals", category="nothing")["count"] == 0
    page = get(client, "/proposals", page_size=3, page=3)
    assert page["count"] == 7 and len(page["items"]) == 1
    detail = get(client, f"/proposals/{w['funded'].pk}")
    assert [(s["from_status"], s["to_status"]) for s in detail["timeline"]][-1] == (
        "shortlisted",
        "funded",
    )
    assert client.get(f"{API}/proposals/{w['hidden'].pk}").status_code == 404
    assert client.get(f"{API}/proposals", {"place": "atlantis"}).status_code == 404
    bad = client.get(f"{API}/proposals", {"status": "bogus"})
    assert bad.status_code == 422 and "status" in json.dumps(bad.json())


def test_decisions_and_delivery(client, open_world):
    w = open_world
    decisions = get(client, "/decisions")
    assert [d["reference"] for d in decisions["items"]] == [w["published"].reference]
    delivery = get(client, "/delivery")["items"]
    (funded,) = [d for d in delivery if d["proposal"] == w["funded"].pk]
    assert sum(p["amount_pence"] for p in funded["paid_by"]) == w["funded"].cost_pence
    assert funded["recipient"]["name"] == "Zed Town Pantry"


def test_conditional_get_and_cors(client, open_world):
    first = client.get(API + "/places", HTTP_ORIGIN="https://example.net")
    assert first["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in first
    etag, modified = first["ETag"], first["Last-Modified"]
    again = client.get(API + "/places", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    since = client.get(API + "/places", HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304
    open_world["old_mill"].summary = "Changed"
    open_world["old_mill"].save()
    changed = client.get(API + "/places", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    preflight = client.options(
        API + "/places",
        HTTP_ORIGIN="https://example.net",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    # The site's own pages are not open to other origins.
    assert "Access-Control-Allow-Origin" not in client.get(
        "/places/", HTTP_ORIGIN="https://example.net"
    )


def test_a_client_over_the_rate_limit_is_told_when_to_come_back(client, open_world):
    from opendata.api import api

    throttle = api.throttle[0]
    throttle.num_requests, throttle.duration = 3, 60
    try:
        cache.clear()
        for _ in range(3):
            assert client.get(API + "/bodies").status_code == 200
        refused = client.get(API + "/bodies")
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 0
        assert refused.json()["detail"].startswith(
            "Too many requests from your address"
        )
        other = client.get(API + "/bodies", REMOTE_ADDR="10.0.0.9")
        assert other.status_code == 200  # the limit is per client
    finally:
        throttle.num_requests, throttle.duration = throttle.parse_rate(throttle.rate)


def test_a_page_of_proposals_takes_the_same_queries_however_many_there_are(
    client, open_world, django_assert_num_queries
):
    from forums.models import Comment, Proposal, ProposalStatus

    w = open_world
    made = Proposal.objects.bulk_create(
        Proposal(
            forum=w["forum"],
            title=f"Bulk {i}",
            summary="s",
            description="d",
            category=w["proposal"].category,
            cost_pence=1000_00 + i,
            status=ProposalStatus.PUBLISHED,
        )
        for i in range(300)
    )
    Comment.objects.bulk_create(
        Comment(
            forum=w["forum"],
            proposal=made[i % 300],
            author=w["users"]["resident"],
            body="x",
        )
        for i in range(900)
    )
    for params in ({}, {"page_size": 100, "page": 2}, {"place": w["old_mill"].slug}):
        # The place (if asked), the count, and the page with its comment counts.
        with django_assert_num_queries(3 if "place" in params else 2):
            response = client.get(API + "/proposals", params)
        assert response.status_code == 200
    counts = {p["title"]: p["comment_count"] for p in response.json()["items"]}
    assert counts["Bulk 0"] == 3
