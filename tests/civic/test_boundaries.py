"""Officers import place boundaries from GeoJSON in the back office: one shape for the place, or a file
of named features for the places inside it; nothing is saved from a file with a
feature that matches no place."""

import datetime as dt
import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from civic.models import AuditEntry, BoundaryGeneration, Place, PlaceKind, RoleKind
from civic.selectors import place_map
from civic.services import boundaries_in_force
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


def upload(client, place, data, name="areas.geojson", **fields):
    return client.post(
        reverse("work:boundaries", args=[place.slug]),
        {"file": SimpleUploadedFile(name, json.dumps(data).encode()), **fields},
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
    assert (
        "These features match no place in Shire by official code or by name: "
        "Atlantis." in response.content.decode()
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
    table = BeautifulSoup(body, "html.parser").find(
        "table", attrs={"aria-labelledby": "places-heading"}
    )
    rows = [
        [" ".join(td.get_text().split()) for td in tr.find_all("td")]
        for tr in table.find("tbody").find_all("tr")
    ]
    assert rows == [
        ["Brook", "—", "First recorded · areas.geojson"],
        ["Far Field", "—", "None yet"],  # in the place tree's order
        ["Lane End", "—", "None yet"],
    ]
    place = client.get(reverse("civic:place", args=[world["ward"].slug]))
    assert (
        reverse("work:boundaries", args=[world["ward"].slug]) in place.content.decode()
    )


WIDER = {"type": "Polygon", "coordinates": [[[0, 0], [6, 0], [6, 4], [0, 4], [0, 0]]]}


def ons_feature(code, name, geometry=SQUARE):
    return {
        "type": "Feature",
        "properties": {"WD24CD": code, "WD24NM": name},
        "geometry": geometry,
    }


def test_features_are_matched_by_gss_code_before_name(world, login):
    Place.objects.filter(pk=world["home"].pk).update(gss_code="E05000001")
    Place.objects.filter(pk=world["away"].pk).update(gss_code="E05000002")
    client = login(world["officer"])
    response = upload(
        client,
        world["county"],
        {
            "type": "FeatureCollection",
            # The ONS spells the names its own way; the codes decide.
            "features": [
                ons_feature("E05000001", "Lane End & Mill"),
                ons_feature("E05000002", "Far Field (North)", WIDER),
            ],
        },
    )
    assert response.status_code == 302
    assert Place.objects.get(pk=world["home"].pk).boundary == SQUARE
    assert Place.objects.get(pk=world["away"].pk).boundary == WIDER


def test_an_unknown_code_is_named_and_nothing_is_saved(world, login):
    Place.objects.filter(pk=world["home"].pk).update(gss_code="E05000001")
    client = login(world["officer"])
    response = upload(
        client,
        world["county"],
        {
            "type": "FeatureCollection",
            "features": [
                ons_feature("E05000001", "Lane End"),
                ons_feature("E05999999", "Nowhere"),
            ],
        },
    )
    assert response.status_code == 400
    assert (
        "These features match no place in Shire by official code or by name: "
        "E05999999." in response.content.decode()
    )
    assert not BoundaryGeneration.objects.exists()
    assert Place.objects.filter(boundary__isnull=False).count() == 0


def test_a_boundary_change_keeps_the_old_generation_for_past_votes(world, login):
    client = login(world["officer"])
    ward = world["ward"]
    upload(client, ward, SQUARE, name="first.geojson")
    changed_on = timezone.localdate() - dt.timedelta(days=30)
    response = upload(
        client,
        ward,
        WIDER,
        name="review.geojson",
        valid_from=changed_on.isoformat(),
        source="The Shire (Electoral Changes) Order 2026",
    )
    assert response.status_code == 302
    ward.refresh_from_db()
    assert ward.boundary == WIDER
    assert [
        (g.valid_from, g.source, g.geometry)
        for g in BoundaryGeneration.objects.filter(place=ward)
    ] == [
        (None, "first.geojson", SQUARE),
        (changed_on, "The Shire (Electoral Changes) Order 2026", WIDER),
    ]
    # A map drawn for a day before the change has the old boundary; today, the new.
    before = changed_on - dt.timedelta(days=1)
    assert place_map(ward, on=before)["features"][0]["geometry"] == SQUARE
    assert place_map(ward, on=changed_on)["features"][0]["geometry"] == WIDER
    assert place_map(ward)["features"][0]["geometry"] == WIDER
    entry = AuditEntry.objects.filter(action="place.boundaries").order_by("pk").last()
    assert entry.summary == f"Boundaries imported for Brook, in force from {changed_on}"


def test_a_change_recorded_ahead_takes_effect_on_its_day(world, login):
    client = login(world["officer"])
    ward = world["ward"]
    upload(client, ward, SQUARE)
    election_day = timezone.localdate() + dt.timedelta(days=60)
    upload(client, ward, WIDER, valid_from=election_day.isoformat())
    ward.refresh_from_db()
    assert ward.boundary == SQUARE
    assert boundaries_in_force(on=election_day - dt.timedelta(days=1)) == 0
    assert boundaries_in_force(on=election_day) == 1
    ward.refresh_from_db()
    assert ward.boundary == WIDER


def test_uploading_again_for_the_same_day_replaces_that_generation(world, login):
    client = login(world["officer"])
    upload(client, world["ward"], SQUARE)
    upload(client, world["ward"], WIDER)
    assert [g.geometry for g in BoundaryGeneration.objects.all()] == [WIDER]


@pytest.mark.parametrize(
    "code,message",
    [
        ("E5 12345", "'E5 12345' is not a GSS code"),
        ("X05012345", "'X05012345' is not a GSS code"),
    ],
)
def test_a_malformed_gss_code_is_refused(world, code, message):
    place = world["home"]
    place.gss_code = code
    with pytest.raises(ValidationError) as refused:
        place.full_clean()
    assert message in refused.value.message_dict["gss_code"][0]


def test_two_places_cannot_share_a_gss_code(world):
    Place.objects.filter(pk=world["home"].pk).update(gss_code="E05000001")
    place = Place.objects.get(pk=world["away"].pk)
    place.gss_code = "e05000001"
    with pytest.raises(ValidationError) as refused:
        place.full_clean()
    assert refused.value.messages == ["Another place has this official code."]


def test_an_upload_with_no_date_corrects_the_boundary_in_force_today(world, login):
    client = login(world["officer"])
    ward = world["ward"]
    upload(client, ward, SQUARE, name="first.geojson")
    changed_on = timezone.localdate() - dt.timedelta(days=30)
    upload(
        client, ward, SQUARE, name="review.geojson", valid_from=changed_on.isoformat()
    )
    upload(client, ward, WIDER, name="mended.geojson")
    ward.refresh_from_db()
    assert ward.boundary == WIDER
    assert [
        (g.valid_from, g.source, g.geometry)
        for g in BoundaryGeneration.objects.filter(place=ward)
    ] == [(None, "first.geojson", SQUARE), (changed_on, "mended.geojson", WIDER)]
