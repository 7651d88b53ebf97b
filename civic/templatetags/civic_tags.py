from django import template

from civic.selectors import place_map
from civic.selectors import pounds as format_pounds

register = template.Library()


@register.filter
def pounds(pence):
    """Render an amount in pence as pounds: 150000 → £1,500."""
    try:
        return format_pounds(int(pence))
    except (TypeError, ValueError):
        return "—"


@register.filter
def decimal_pounds(pence):
    """150050 → '1500.50', for number inputs."""
    try:
        pence = int(pence)
    except (TypeError, ValueError):
        return ""
    return f"{pence // 100}.{pence % 100:02d}"


@register.simple_tag
def place_boundaries(place):
    """The boundaries a map of `place` draws (GeoJSON), or None."""
    return place_map(place)
