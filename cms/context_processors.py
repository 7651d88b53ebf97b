from django.core.cache import cache

FOOTER_KEY = "cms:footer-pages"


def site_pages(request):
    """Links for the footer: live standard pages and news under the home page.
    One query, then cached until a page is published or unpublished (wagtail_hooks)."""

    def pages():
        links = cache.get(FOOTER_KEY)
        if links is None:
            from wagtail.models import Page

            from .models import NewsIndexPage, StandardPage

            links = [
                {"title": p.title, "url": p.url}
                for p in Page.objects.live()
                .filter(depth=3)
                .type(StandardPage, NewsIndexPage)
                .order_by("path")
            ]
            cache.set(FOOTER_KEY, links, 300)
        return links

    return {"footer_pages": pages}
