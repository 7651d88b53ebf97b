"""Geometry for the server-rendered SVG charts (components/bar_chart.html)."""

from __future__ import annotations


def chart_bars(
    rows: list[dict],
    key: str,
    width: int = 560,
    row_height: int = 40,
    *,
    label: str = "label",
    muted=None,
    show_values: bool = True,
) -> list[dict]:
    """Give each row what the bar chart draws: `label` (from the `label` key), `value`
    (the `key` figure, printed after the bar unless `show_values` is off), `muted` (a
    grey bar where `muted(row)` holds) and the geometry: the largest value is `width`
    wide (`bar_w`; `bar_pct` for bars in HTML), one row every `row_height` px (`y`).
    The page shows the same figures in a table."""
    top = max((r[key] for r in rows), default=0) or 1
    for i, r in enumerate(rows):
        r["bar_pct"] = round(100 * r[key] / top, 1)
        r["bar_w"] = round(width * r[key] / top)
        r["y"] = i * row_height
        r["label"] = r[label]
        r["value"] = r[key] if show_values else None
        r["muted"] = bool(muted and muted(r))
    return rows
