"""Officers import place boundaries from GeoJSON in the back office: one shape for the place, or a file
of named features for the places inside it; nothing is saved from a file with a
feature that matches no place."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civic.models import AuditEntry, Place, PlaceKind, RoleKind
from tests.admin_answers import refused_by_the_admin
from tests.factories import UserFactory, grant, make_place

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]]}


@pytest.fixture
def world(db, settings):
    settings.NB_DEMO_MFA_EXEMPT = True
    county = make_place("Shire", PlaceKind.COUNTY)
    ward = make_place("Brook", PlaceKind.WARD, county)
    home = make_place("Lane End", PlaceKind.NEIGHBOURHOOD, ward)
    away = make_place("Far Field", PlaceKind.NEIGHBOURHOOD, ward)
    for place in (county, ward, home, away):
        place.refresh_from_db()
    officer, organiser = UserFactory(is_demo=True), UserFactory(is_demo=True)
    grant(officer, county, RoleKind.OFFICER)
    grant(organiser, ward, RoleKind.ORGANISER)
    return {
        "county": county,
        "ward": ward,
        "home": home,
        "away": away,
        "officer": officer,
        "organiser": organiser,
    }


def upload(client, place, data, name="areas.geojson"):
    return client.post(
        reverse("work:boundaries", args=[place.slug]),
        {"file": SimpleUploadedFile(name, json.dumps(data).encode())},
    )


def feature(name, geometry=SQUARE):
    return {"type": "Feature", "properties": {"name": name}, "geometry": geometry}


def test_one_shape_is_the_places_boundary(world, login):
    client = login(world["officer"])
    response = upload(client, world["ward"], SQUARE)
    assert response.status_code == 302
    assert response.url == reverse("work:boundaries", args=[world["ward"].slug])
    world["ward"].refresh_from_db()
    assert world["ward"].boundary == SQUARE
    entry = AuditEntry.objects.get(action="place.boundaries")
    assert entry.summary == "Boundaries imported for Brook"


def test_named_features_go_to_the_places_inside(world, login):
    client = login(world["officer"])
    other = {"type": "Polygon", "coordinates": [[[4, 0], [8, 0], [8, 4], [4, 0]]]}
    response = upload(
        client,
        world["county"],
        {
            "type": "FeatureCollection",
            "features": [feature("lane end"), feature("Far Field", other)],
        },
    )
    assert response.status_code == 302
    assert Place.objects.get(slug=world["home"].slug).boundary == SQUARE
    assert Place.objects.get(slug=world["away"].slug).boundary == other
    assert Place.objects.get(slug=world["county"].slug).boundary is None


def test_a_file_with_an_unknown_place_saves_nothing(world, login):
    client = login(world["officer"])
    response = upload(
        client,
        world["county"],
        {
            "type": "FeatureCollection",
            "features": [feature("Lane End"), feature("Atlantis")],
        },
    )
    assert response.status_code == 400
    assert "These features match no place in Shire by name: Atlantis." in (
        response.content.decode()
    )
    assert Place.objects.filter(boundary__isnull=False).count() == 0
    assert not AuditEntry.objects.filter(action="place.boundaries").exists()


def test_a_broken_file_is_refused_with_the_reason(world, login):
    client = login(world["officer"])
    response = client.post(
        reverse("work:boundaries", args=[world["county"].slug]),
        {"file": SimpleUploadedFile("a.geojson", b"<kml>not json</kml>")},
    )
    assert response.status_code == 400
    assert "This is not a GeoJSON file" in response.content.decode()


def test_only_officers_import_boundaries(world, login):
    client = login(world["organiser"])
    refused_by_the_admin(upload(client, world["county"], SQUARE))
    assert Place.objects.filter(boundary__isnull=False).count() == 0


def test_the_page_lists_which_places_have_a_boundary_and_the_place_links_to_it(
    world, login
):
    client = login(world["officer"])
    upload(client, world["ward"], SQUARE)
    page = client.get(reverse("work:boundaries", args=[world["ward"].slug]))
    body = page.content.decode()
    assert 'enctype="multipart/form-data"' in body
    rows = [row.split("</td>")[:2] for row in body.split("<tr><td>")[1:]]
    assert [(name, "Set" in state) for name, state in rows] == [
        ("Brook", True),
        ("Far Field", False),  # in the place tree's order
        ("Lane End", False),
    ]
    place = client.get(reverse("civic:place", args=[world["ward"].slug]))
    assert (
        reverse("work:boundaries", args=[world["ward"].slug]) in place.content.decode()
    )
