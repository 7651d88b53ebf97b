from django.core.cache import cache
from django.utils.translation import get_language

FOOTER_KEY = "cms:footer-pages"


def footer_key(language: str) -> str:
    return f"{FOOTER_KEY}:{language}"


def site_pages(request):
    """Links for the footer: live standard pages and news under the home page, in the
    active language where they have been translated. Cached per language until a page
    is published or unpublished (wagtail_hooks)."""

    def pages():
        from wagtail.coreutils import get_supported_content_language_variant

        language = get_supported_content_language_variant(get_language())
        links = cache.get(footer_key(language))
        if links is None:
            from wagtail.models import Page

            from .models import NewsIndexPage, StandardPage

            found = (
                Page.objects.live()
                .filter(depth=3)
                .type(StandardPage, NewsIndexPage)
                .select_related("locale")
            )
            groups: dict = {}
            for page in sorted(found, key=lambda p: p.pk):
                groups.setdefault(page.translation_key, []).append(page)
            links = []
            for group in sorted(groups.values(), key=lambda g: g[0].path):
                page = next(
                    (p for p in group if p.locale.language_code == language), group[0]
                )
                links.append({"title": page.title, "url": page.url})
            cache.set(footer_key(language), links, 300)
        return links

    return {"footer_pages": pages}
