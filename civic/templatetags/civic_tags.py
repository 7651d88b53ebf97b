from django import template

from civic import money as money_module
from civic.selectors import place_map

register = template.Library()


@register.filter
def pounds(pence):
    """Render an amount in pence as pounds: 150000 → £1,500."""
    try:
        return money_module.pounds(int(pence))
    except (TypeError, ValueError):
        return "—"


@register.filter
def money(hundredths, currency="GBP"):
    """An amount in the currency of its cycle: `{{ cost|money:cycle.currency }}`."""
    try:
        return money_module.amount(int(hundredths), currency or "GBP")
    except (TypeError, ValueError):
        return "—"


@register.filter
def decimal_pounds(pence):
    """150050 → '1500.50', for number inputs."""
    try:
        return money_module.decimal_pounds(int(pence))
    except (TypeError, ValueError):
        return ""


@register.simple_tag
def place_boundaries(place):
    """The boundaries a map of `place` draws (GeoJSON), or None."""
    return place_map(place)
