"""Geometry for the server-rendered SVG charts."""

from __future__ import annotations


def chart_bars(
    rows: list[dict], key: str, width: int = 560, row_height: int = 40
) -> list[dict]:
    """Geometry for the server-rendered SVG bar charts: the largest value is `width`
    wide, one row every `row_height` px (the page shows the same figures in a table)."""
    top = max((r[key] for r in rows), default=0) or 1
    for i, r in enumerate(rows):
        r["bar_pct"] = round(100 * r[key] / top, 1)
        r["bar_w"] = round(width * r[key] / top)
        r["y"] = i * row_height
    return rows
