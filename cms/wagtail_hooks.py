"""Keep cached page links fresh."""

from django.core.cache import cache
from wagtail.signals import page_published, page_unpublished

from .context_processors import FOOTER_KEY


def _forget_footer(**kwargs):
    cache.delete(FOOTER_KEY)


page_published.connect(_forget_footer)
page_unpublished.connect(_forget_footer)
