from django import template

from civic import money
from civic.selectors import place_map

register = template.Library()


@register.filter
def pounds(pence):
    """Render an amount in pence as pounds: 150000 → £1,500."""
    try:
        return money.pounds(int(pence))
    except (TypeError, ValueError):
        return "—"


@register.filter
def decimal_pounds(pence):
    """150050 → '1500.50', for number inputs."""
    try:
        return money.decimal_pounds(int(pence))
    except (TypeError, ValueError):
        return ""


@register.simple_tag
def place_boundaries(place):
    """The boundaries a map of `place` draws (GeoJSON), or None."""
    return place_map(place)
