"""GeoJSON boundaries: what is accepted, what is refused and why, point-in-boundary."""

import json

import pytest

from civic import geo

SQUARE = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
HOLE = [[1, 1], [2, 1], [2, 2], [1, 2], [1, 1]]


def polygon(*rings):
    return {"type": "Polygon", "coordinates": list(rings)}


def test_a_bare_polygon_is_one_unnamed_boundary():
    assert geo.parse(json.dumps(polygon(SQUARE))) == [("", "", polygon(SQUARE))]


def test_features_are_named_from_their_properties():
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Old Mill"},
                "geometry": polygon(SQUARE),
            },
            {
                "type": "Feature",
                "properties": {"WD24NM": "Canal Side"},
                "geometry": {"type": "MultiPolygon", "coordinates": [[SQUARE]]},
            },
        ],
    }
    assert [f.name for f in geo.parse(json.dumps(collection))] == [
        "Old Mill",
        "Canal Side",
    ]


def test_features_carry_their_gss_code_from_an_ons_file_or_a_code_property():
    def feature(props):
        return {"type": "Feature", "properties": props, "geometry": polygon(SQUARE)}

    collection = {
        "type": "FeatureCollection",
        "features": [
            feature({"WD24CD": "E05012345", "WD24NM": "Millbrook"}),
            feature({"PARNCP24CD": "e04001234", "PARNCP24NM": "Hillcrest"}),
            feature({"gss_code": "W05000123"}),
            feature({"code": "not-a-code", "name": "Elsewhere"}),
        ],
    }
    assert [(f.code, f.name) for f in geo.parse(json.dumps(collection))] == [
        ("E05012345", "Millbrook"),
        ("E04001234", "Hillcrest"),
        ("W05000123", ""),
        ("", "Elsewhere"),
    ]


@pytest.mark.parametrize(
    "text,message",
    [
        ("{not json", "This is not a GeoJSON file:"),
        ("[1, 2]", "This is not a GeoJSON object: it has no “type”."),
        (
            json.dumps({"type": "Point", "coordinates": [1, 2]}),
            "feature 1 is a Point; a boundary must be a Polygon or MultiPolygon.",
        ),
        (
            json.dumps(polygon([[0, 0], [4, 0], [4, 4], [0, 4]])),
            "feature 1 has a ring that does not end where it starts.",
        ),
        (
            json.dumps(polygon([[0, 0], [4, 0], [0, 0]])),
            "feature 1 has a ring with fewer than four points.",
        ),
        (
            json.dumps(polygon([[0, 0], [400000, 0], [4, 4], [0, 0]])),
            "feature 1 has a point that is not [longitude, latitude] in degrees: "
            "[400000, 0]. Export the file in WGS 84 (EPSG:4326).",
        ),
        (
            json.dumps({"type": "FeatureCollection", "features": []}),
            "The feature collection has no features.",
        ),
    ],
)
def test_a_bad_file_is_refused_with_the_reason(text, message):
    with pytest.raises(geo.GeoError) as info:
        geo.parse(text)
    assert info.value.message.startswith(message)


def test_too_many_points_are_refused(monkeypatch):
    monkeypatch.setattr(geo, "MAX_POINTS", 8)
    with pytest.raises(geo.GeoError, match="more than 8 points"):
        geo.parse(
            json.dumps(
                {
                    "type": "MultiPolygon",
                    "coordinates": [
                        [SQUARE],
                        [[[x + 10, y] for x, y in SQUARE]],
                    ],
                }
            )
        )


def test_a_point_is_inside_the_outer_ring_and_outside_the_holes():
    shape = polygon(SQUARE, HOLE)
    assert geo.contains(shape, 3, 3) is True
    assert geo.contains(shape, 1.5, 1.5) is False  # in the hole
    assert geo.contains(shape, 5, 1) is False
    multi = {
        "type": "MultiPolygon",
        "coordinates": [[SQUARE], [[[10, 10], [11, 10], [11, 11], [10, 10]]]],
    }
    assert geo.contains(multi, 10.8, 10.2) is True


def test_bounds_and_map_areas():
    assert geo.bounds(polygon(SQUARE)) == (0, 0, 4, 4)
    assert geo.parse_bbox("53.9,-2.0,54.1,-1.6") == (53.9, -2.0, 54.1, -1.6)
    assert geo.parse_bbox("54.1,-2.0,53.9,-1.6") is None  # south above north
    assert geo.parse_bbox("a,b,c,d") is None
    assert geo.parse_bbox("") is None


@pytest.mark.parametrize(
    "rings,why,near",
    [
        # A bow-tie: the ring crosses itself at (1, 1).
        (
            [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]],
            "a ring crosses itself",
            "1.00000, 1.00000",
        ),
        # A hole that lies outside its outer ring.
        (
            [SQUARE, [[10, 10], [11, 10], [11, 11], [10, 10]]],
            "a hole lies outside its outer ring",
            "10.00000, 10.00000",
        ),
    ],
)
def test_invalid_geometry_is_refused_naming_the_feature_and_where(rings, why, near):
    text = json.dumps(
        {
            "type": "Feature",
            "properties": {"name": "Old Mill"},
            "geometry": {"type": "Polygon", "coordinates": rings},
        }
    )
    with pytest.raises(geo.GeoError) as refused:
        geo.parse(text)
    assert refused.value.message == (
        f"Old Mill is not a valid boundary: {why}, near {near} (longitude, latitude)."
    )
