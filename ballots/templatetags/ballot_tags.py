from django import template

from ballots.lifecycle import timing

register = template.Library()


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key) if mapping is not None else None
    except AttributeError:
        return None


@register.filter
def sectionchoices(chosen, section_id):
    value = (chosen or {}).get(str(section_id))
    return value if isinstance(value, list) else []


@register.filter
def sectionpoints(chosen, section_id):
    value = (chosen or {}).get(str(section_id))
    return value if isinstance(value, dict) else {}


@register.filter
def rangeto(n):
    try:
        return range(1, int(n) + 1)
    except (TypeError, ValueError):
        return range(0)


@register.filter
def cycle_timing(cycle):
    """The cycle's current phase with its dates, for residents (ballots/lifecycle)."""

    return timing(cycle) if cycle is not None else ""
