"""Anonymous visitors share one copy of the public pages, for a few seconds.

A surge of visitors (a vote opening, a result published) reads the same pages over
and over; each is rendered once per `PAGE_CACHE_SECONDS` per language and address, and
served from the cache (Redis) to every visitor without a session. Only the views named
in `CACHED_VIEWS` are cached (home, place, forum, proposal, cycle, results, statistics
and the Wagtail pages), never a ballot, a form page, a signed-in person's page or an
answer that sets a cookie or rendered a CSRF token (a page with a form for this
visitor), so nothing personal is ever shared. Off (0 seconds) unless set, and by
default in production 15 seconds.

A shared page also carries `X-Accel-Expires` (the same seconds) and `Vary: Cookie,
Accept-Language`: nginx in front (`make serve`, deploy/nginx.conf.template) keeps such a
page and serves it without asking Django at all, to visitors sending the same cookies
(none, for most) and languages; it keeps nothing else, and nothing for a request with
a session. Browsers are told nothing new: they do not keep the page."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin

CACHED_VIEWS = {
    "wagtail_serve",
    "civic:home",
    "civic:place",
    "forums:forum",
    "forums:proposal",
    "ballots:cycle",
    "ballots:results",
    "ballots:statistics",
    "accountability:decisions",
}
# Cookies a visitor without a session may carry that change nothing on a page (the
# language is in the key).
HARMLESS_COOKIES = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
KEPT_HEADERS = ("Content-Type", "Content-Language")


def _key(request) -> str:
    return f"page:{translation.get_language()}:{request.get_full_path()}"


class AnonymousPageCache(MiddlewareMixin):
    def process_view(self, request, view_func, view_args, view_kwargs):
        seconds = settings.NB_PAGE_CACHE_SECONDS
        match = request.resolver_match
        if (
            not seconds
            or request.method not in ("GET", "HEAD")
            or match is None
            or match.view_name not in CACHED_VIEWS
            or set(request.COOKIES) - HARMLESS_COOKIES
        ):
            return None
        request.nb_page_key = _key(request)
        found = cache.get(request.nb_page_key)
        if found is None:
            return None
        response = HttpResponse(found["body"])
        for name, value in found["headers"].items():
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return _shared(response)

    def process_response(self, request, response):
        key = getattr(request, "nb_page_key", None)
        if (
            key is None
            or response.get("X-Page-Cache") == "hit"
            or response.status_code != 200
            or response.streaming
            or response.cookies
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a form for this visitor
        ):
            return response
        cache.set(
            key,
            {
                "body": response.content,
                "headers": {h: response[h] for h in KEPT_HEADERS if h in response},
            },
            settings.NB_PAGE_CACHE_SECONDS,
        )
        response["X-Page-Cache"] = "miss"
        return _shared(response)


def _shared(response):
    """Mark a page every visitor without a session may be given, for nginx."""
    response["X-Accel-Expires"] = str(settings.NB_PAGE_CACHE_SECONDS)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response
