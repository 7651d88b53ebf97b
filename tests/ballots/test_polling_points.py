"""Polling points: set up in the back office by officers of their place, shown on the
cycle page (list and map) and in “Can I vote?” while the vote is not over."""

import datetime as dt

import pytest
from django.urls import reverse

from ballots.models import OpeningTime, PollingPoint
from civic.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def point(vote_world):
    w = vote_world
    point = PollingPoint.objects.create(
        place=w["hood"],
        name="Lane End Library",
        address="1 High Street",
        postcode="LE1 1AA",
        access="Step-free entrance; hearing loop",
        latitude=53.9,
        longitude=-1.7,
    )
    point.cycles.add(w["cycle"])
    point.save()  # a cluster keeps its many-to-many in memory until saved
    OpeningTime.objects.create(
        point=point, day=dt.date(2027, 1, 9), opens=dt.time(9), closes=dt.time(17)
    )
    return point


def test_the_cycle_page_says_where_to_vote_in_person(client, vote_world, point):
    page = client.get(vote_world["cycle"].get_absolute_url()).content.decode()
    assert "Where can I vote in person?" in page
    assert "Lane End Library" in page and "1 High Street, LE1 1AA" in page
    assert "Step-free entrance; hearing loop" in page
    assert "Saturday 9 January" in page and "09:00–17:00" in page
    assert f'"url": "#point-{point.pk}"' in page  # the map's marker, to the list
    # Once voting is over, the points are no longer offered.
    type(vote_world["cycle"]).objects.filter(pk=vote_world["cycle"].pk).update(
        phase="results"
    )
    page = client.get(vote_world["cycle"].get_absolute_url()).content.decode()
    assert "Where can I vote in person?" not in page


def test_can_i_vote_names_the_polling_points(client, vote_world, point):
    Place.objects.filter(pk=vote_world["hood"].pk).update(postcode_areas="LE1")
    page = client.get(
        reverse("ballots:can_vote", args=[vote_world["cycle"].slug]),
        {"postcode": "LE1 3XY"},
    ).content.decode()
    assert (
        "In person, at a polling point: Lane End Library, 1 High Street (opening "
        "times on this vote&#x27;s page); staff there check that you live here, and "
        "can help." in page
    )


def test_an_opening_time_closes_after_it_opens(point):
    from django.core.exceptions import ValidationError

    wrong = OpeningTime(
        point=point, day=dt.date(2027, 1, 10), opens=dt.time(17), closes=dt.time(9)
    )
    with pytest.raises(ValidationError) as refused:
        wrong.full_clean()
    assert refused.value.message_dict == {
        "closes": ["A polling point closes after it opens."]
    }


def test_an_officer_sets_up_a_polling_point_in_the_back_office(client, vote_world):
    w = vote_world
    client.force_login(w["officer"])
    url = reverse("wagtailsnippets_ballots_pollingpoint:add")
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "place": w["hood"].pk,
        "name": "Lane End School hall",
        "address": "School Lane",
        "postcode": "LE1 2AB",
        "access": "",
        "latitude": "",
        "longitude": "",
        "cycles": [w["cycle"].pk],
        "opening_times-TOTAL_FORMS": "2",
        "opening_times-INITIAL_FORMS": "0",
        "opening_times-MIN_NUM_FORMS": "0",
        "opening_times-MAX_NUM_FORMS": "1000",
    }
    for i, (opens, closes) in enumerate((("09:00", "17:00"), ("17:00", "09:00"))):
        data.update(
            {
                f"opening_times-{i}-day": "2027-01-09",
                f"opening_times-{i}-opens": opens,
                f"opening_times-{i}-closes": closes,
                f"opening_times-{i}-id": "",
                f"opening_times-{i}-ORDER": str(i + 1),
                f"opening_times-{i}-DELETE": "",
            }
        )
    # An opening time that closes before it opens is refused, and nothing is stored.
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "A polling point closes after it opens." in refused.content.decode()
    assert not PollingPoint.objects.exists()
    data["opening_times-1-opens"], data["opening_times-1-closes"] = "10:00", "16:00"
    data["opening_times-1-day"] = "2027-01-10"
    assert client.post(url, data).status_code == 302
    point = PollingPoint.objects.get()
    assert list(point.cycles.all()) == [w["cycle"]]
    assert point.opening_times.count() == 2
