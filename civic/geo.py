"""Place boundaries as GeoJSON (RFC 7946: longitude first, WGS 84), checked on import.

A boundary is a Polygon or MultiPolygon kept as JSON on the place. What the site needs
of it is to draw it, to say whether a point lies inside (a proposal's location must be
inside its neighbourhood) and its bounding box. The file's shape is read here, so each
mistake is named in words; whether the geometry is valid (rings that cross themselves,
holes outside their shell) and the point-in-boundary test are shapely's (GEOS).
"""

from __future__ import annotations

import json
import re
from numbers import Real
from typing import NamedTuple

import shapely
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from shapely.geometry import Point, shape
from shapely.validation import explain_validity

from .errors import DomainError

MAX_POINTS = 50_000
MAX_BYTES = 5 * 1024 * 1024
NAME_KEYS = ("name", "NAME", "Name", "slug", "ward", "WD24NM", "LAD24NM", "PARNCP24NM")
# The ONS's files name their code column after the kind of area and the year (WD24CD,
# PARNCP24CD, LAD24CD…); other tools call it "code" or "gss_code".
CODE_KEYS = ("gss_code", "GSS_CODE", "gss", "GSS", "code", "CODE")
CODE_KEY = re.compile(r"[A-Z]{2,6}[0-9]{2}CD")
GSS = re.compile(r"[ENSW][0-9]{8}")


class Feature(NamedTuple):
    """A polygon in a boundary file: its name and GSS code ("" where it has none)."""

    name: str
    code: str
    geometry: dict


def feature_code(props: dict) -> str:
    """The GSS code in a feature's properties, or ""."""
    keys = [*CODE_KEYS, *(k for k in props if CODE_KEY.fullmatch(str(k)))]
    for key in keys:
        value = str(props.get(key) or "").strip().upper()
        if GSS.fullmatch(value):
            return value
    return ""


class GeoError(DomainError, ValueError):
    """A boundary file that cannot be read, and why."""


def parse(text: str | bytes) -> list[Feature]:
    """The polygons in a GeoJSON text, each with its name and GSS code ("" where a
    feature has none). Raises GeoError saying what is wrong with the file."""
    if len(text) > MAX_BYTES:
        raise GeoError(_("The file is larger than 5 MB."))
    try:
        data = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise GeoError(_("This is not a GeoJSON file: %(e)s") % {"e": error}) from None
    if not isinstance(data, dict) or "type" not in data:
        raise GeoError(_("This is not a GeoJSON object: it has no “type”."))
    if data["type"] == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or not features:
            raise GeoError(_("The feature collection has no features."))
    elif data["type"] == "Feature":
        features = [data]
    else:
        features = [{"type": "Feature", "properties": {}, "geometry": data}]
    found, points = [], 0
    for n, feature in enumerate(features, start=1):
        props = (feature.get("properties") if isinstance(feature, dict) else None) or {}
        name = next((str(props[k]) for k in NAME_KEYS if props.get(k)), "")
        code = feature_code(props)
        label = name or code or _("feature %(n)s") % {"n": n}
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        points += check_geometry(geometry, label)
        if points > MAX_POINTS:
            raise GeoError(
                _("The boundaries have more than %(n)s points: simplify them first.")
                % {"n": f"{MAX_POINTS:,}"}
            )
        _check_valid(geometry, label)
        found.append(Feature(name, code, geometry))
    return found


def check_geometry(geometry, label: str) -> int:
    """Raise GeoError unless `geometry` is a valid Polygon or MultiPolygon; returns its
    number of points."""
    if not isinstance(geometry, dict):
        raise GeoError(_("%(f)s has no geometry.") % {"f": label})
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates if isinstance(coordinates, list) else None
    else:
        raise GeoError(
            _("%(f)s is a %(k)s; a boundary must be a Polygon or MultiPolygon.")
            % {"f": label, "k": kind or _("shape with no type")}
        )
    if not polygons:
        raise GeoError(_("%(f)s has no coordinates.") % {"f": label})
    points = 0
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise GeoError(_("%(f)s has an empty polygon.") % {"f": label})
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                raise GeoError(
                    _("%(f)s has a ring with fewer than four points.") % {"f": label}
                )
            for position in ring:
                if not (
                    isinstance(position, list)
                    and len(position) >= 2
                    and all(isinstance(v, Real) for v in position[:2])
                    and -180 <= position[0] <= 180
                    and -90 <= position[1] <= 90
                ):
                    raise GeoError(
                        _(
                            "%(f)s has a point that is not [longitude, latitude] in "
                            "degrees: %(p)s. Export the file in WGS 84 (EPSG:4326)."
                        )
                        % {"f": label, "p": json.dumps(position)[:60]}
                    )
            if ring[0][:2] != ring[-1][:2]:
                raise GeoError(
                    _("%(f)s has a ring that does not end where it starts.")
                    % {"f": label}
                )
            points += len(ring)
    return points


# GEOS's reasons (shapely.validation.explain_validity), in words.
INVALID = {
    "Self-intersection": _l("a ring crosses itself"),
    "Ring Self-intersection": _l("a ring touches itself"),
    "Hole lies outside shell": _l("a hole lies outside its outer ring"),
    "Holes are nested": _l("a hole lies inside another hole"),
    "Interior is disconnected": _l("a hole cuts the polygon in two"),
    "Nested shells": _l("one polygon lies inside another"),
    "Too few points": _l("a ring has too few distinct points"),
}


def _check_valid(geometry: dict, label: str) -> None:
    reason = explain_validity(shape(geometry))
    if reason == "Valid Geometry":
        return
    kind, _sep, where = reason.partition("[")
    numbers = where.rstrip("]").split()
    near = ", ".join(f"{float(v):.5f}" for v in numbers[:2]) if numbers else ""
    raise GeoError(
        _("%(f)s is not a valid boundary: %(why)s, near %(at)s (longitude, latitude).")
        % {
            "f": label,
            "why": INVALID.get(kind.strip(), kind.strip().lower()),
            "at": near or _("an unknown point"),
        }
    )


def contains(geometry: dict, longitude: float, latitude: float) -> bool:
    """Whether the point lies inside the boundary (inside an outer ring, outside its
    holes; a point on the edge counts as inside)."""
    return shape(geometry).covers(Point(longitude, latitude))


def bounds(geometry: dict) -> tuple[float, float, float, float]:
    """(south, west, north, east) of the boundary."""
    west, south, east, north = shapely.bounds(shape(geometry)).tolist()
    return south, west, north, east


def parse_bbox(text: str) -> tuple[float, float, float, float] | None:
    """'south,west,north,east' from a map's visible area, or None if it is not one."""
    try:
        south, west, north, east = (float(v) for v in (text or "").split(","))
    except ValueError:
        return None
    if not (
        -90 <= south <= north <= 90 and -180 <= west <= 180 and -180 <= east <= 180
    ):
        return None
    return south, west, north, east
