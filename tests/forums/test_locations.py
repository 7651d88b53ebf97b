"""Locations on ideas and proposals: both coordinates or neither, inside the
neighbourhood's boundary; the map's markers feed; the list narrowed to a map area."""

import pytest
from django.urls import reverse

from forums.models import Proposal, ProposalStatus

# Lane End: a box from (0, 50) to (1, 51) in longitude, latitude.
BOX = {
    "type": "Polygon",
    "coordinates": [[[0, 50], [1, 50], [1, 51], [0, 51], [0, 50]]],
}


@pytest.fixture
def mapped(world):
    world["home"].boundary = BOX
    world["home"].save()
    return world


def idea(client, world, **extra):
    return client.post(
        reverse("forums:idea_new", args=["lane-end"]),
        {
            "title": "Bench",
            "summary": "A bench",
            "description": "By the pond",
            "category": world["category"].pk,
            **extra,
        },
    )


def test_a_spot_inside_the_neighbourhood_is_kept(client, mapped):
    client.force_login(mapped["member"])
    assert idea(client, mapped, latitude="50.5", longitude="0.25").status_code == 302
    saved = mapped["forum"].ideas.get()
    assert (saved.latitude, saved.longitude) == (50.5, 0.25)


def test_a_spot_outside_the_neighbourhood_is_refused(client, mapped):
    client.force_login(mapped["member"])
    response = idea(client, mapped, latitude="52", longitude="0.25")
    assert response.status_code == 400
    assert "That spot is outside Lane End. Pick a place inside its boundary." in (
        response.content.decode()
    )
    assert mapped["forum"].ideas.count() == 0


def test_half_a_location_is_refused(client, mapped):
    client.force_login(mapped["member"])
    response = idea(client, mapped, latitude="50.5")
    assert response.status_code == 400
    assert "Give both the latitude and the longitude, or neither." in (
        response.content.decode()
    )


def test_without_a_boundary_any_real_point_is_accepted(client, world):
    client.force_login(world["member"])
    assert idea(client, world, latitude="-33.9", longitude="151.2").status_code == 302


def test_the_markers_feed_has_the_public_located_proposals(
    client, mapped, make_proposal
):
    here = make_proposal(title="Pond", latitude=50.5, longitude=0.5)
    make_proposal(title="Nowhere")  # no location
    make_proposal(
        title="Draft", status=ProposalStatus.DRAFT, latitude=50.2, longitude=0.2
    )
    make_proposal(title="Hidden", hidden=True, latitude=50.3, longitude=0.3)
    data = client.get(reverse("forums:map", args=[mapped["county"].slug])).json()
    assert data == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [0.5, 50.5]},
                "properties": {
                    "id": here.pk,
                    "title": "Pond",
                    "url": here.get_absolute_url(),
                    "status": "published",
                    "status_label": "Published",
                    "cost": "£1,000",
                    "category": "Youth",
                },
            }
        ],
    }


def test_the_forum_list_narrows_to_the_map_area(client, mapped, make_proposal):
    make_proposal(title="North end", latitude=50.9, longitude=0.5)
    make_proposal(title="South end", latitude=50.1, longitude=0.5)
    make_proposal(title="Unplaced")
    url = reverse("forums:forum", args=["lane-end"])
    page = client.get(url, {"area": "50.5,0,51,1"})
    titles = [p.title for p in page.context["page"].object_list]
    assert titles == ["North end"]
    assert "Showing the proposals placed in the map area." in page.content.decode()
    everything = client.get(url, {"area": "not-an-area"})
    assert sorted(p.title for p in everything.context["page"].object_list) == [
        "North end",
        "South end",
        "Unplaced",
    ]
    feed = client.get(
        reverse("forums:map", args=["lane-end"]), {"area": "50.5,0,51,1"}
    ).json()
    assert [f["properties"]["title"] for f in feed["features"]] == ["North end"]


def test_an_accepted_idea_keeps_its_spot(mapped):
    from forums.services import idea_review, idea_submit

    new = idea_submit(
        author=mapped["member"],
        forum=mapped["forum"],
        data={
            "title": "Bench",
            "summary": "s",
            "description": "d",
            "category": mapped["category"],
            "latitude": 50.4,
            "longitude": 0.6,
        },
    )
    proposal = idea_review(
        actor=mapped["organiser"],
        idea=new,
        action="accept",
        note="",
        proposal_data={"cost_pence": 500_00},
    )
    assert (proposal.latitude, proposal.longitude) == (50.4, 0.6)
    assert Proposal.objects.filter(latitude=50.4).count() == 1
