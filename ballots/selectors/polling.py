"""Where a vote can be cast in person: its polling points and their opening times."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ballots.models import Cycle


def points_for(cycle: Cycle) -> list:
    """The polling points serving `cycle`, with their opening times (two queries)."""
    return list(
        cycle.polling_points.select_related("place").prefetch_related("opening_times")
    )


def points_map(points: list) -> dict | None:
    """The points that have a location, as GeoJSON markers linking to their entry in
    the page's list."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.longitude, p.latitude]},
            "properties": {
                "title": p.name,
                "url": f"#point-{p.pk}",
                "status": "polling_point",
                "address": p.address,
                "status_label": str(_("Polling point")),
            },
        }
        for p in points
        if p.latitude is not None
    ]
    return {"type": "FeatureCollection", "features": features} if features else None
