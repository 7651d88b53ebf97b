"""The project's URLs: every app's, wired together (config/ is the only place that
knows them all)."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.decorators.cache import cache_page
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from civic import views as civic_views
from config import health, metrics
from opendata.api import api

urlpatterns = [
    path("health/live", health.live, name="health_live"),
    path("health/ready", health.ready, name="health_ready"),
    path("metrics", metrics.view, name="metrics"),
    path("", include("civic.urls")),
    path("", include("accountability.urls")),
    path("forums/", include("forums.urls")),
    path("cycles/", include("ballots.urls")),
    path("polling-points/", include("ballots.desk_urls")),
    path("accounts/", include("allauth.urls")),
    # The API's address on its own opens its documentation.
    path("api/v1/", RedirectView.as_view(pattern_name="api-v1:openapi-view")),
    path("api/v1/", api.urls),
    path("open-data/", include("opendata.urls")),
    path("i18n/setlang/", civic_views.set_language, name="set_language"),
    # GOV.UK Notify's delivery receipts, signed with a bearer token (a machine's call).
    path("notify/callback/", civic_views.notify_callback, name="notify_callback"),
    # The ballot meter's and live results' strings, per language (cached a day).
    path(
        "jsi18n/",
        cache_page(86400)(JavaScriptCatalog.as_view(packages=["ballots"])),
        name="javascript-catalog",
    ),
    # Browsers and tools that ask for /favicon.ico get the site's icon.
    path(
        "favicon.ico",
        RedirectView.as_view(
            url=lazy(static, str)("civic/favicon.svg"), permanent=True
        ),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.NB_SERVE_MEDIA:
    from django.views.static import serve

    # Uploaded pictures and their renditions, served by Django (development, and small
    # sites without a web server in front; docs/maps-pictures-voting-codes-compare-and-print.md).
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

from cms.views import patterns, search  # noqa: E402

urlpatterns += [
    path("search/", search, name="search"),
    path("patterns/", patterns, name="patterns"),  # development only (DEBUG)
    path("", include(wagtail_urls)),
]
