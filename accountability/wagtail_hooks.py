"""What decisions and delivery add to pages of the layers below them."""

from wagtail import hooks

from . import selectors


@hooks.register("place_page")
def decisions_and_delivery(place, rules) -> dict:
    """The place page's "what your budget paid for" and its latest decisions."""
    return {
        "paid_for": selectors.paid_for(place),
        "decisions": selectors.published_decisions(place),
    }
