from django.conf import settings
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

civic_patterns = [
    path("places/", views.home, name="home"),
    path("find/", views.find_place, name="find_place"),
    path("places/<slug:slug>/", views.place_detail, name="place"),
    path("places/<slug:slug>/rules/", views.rules_edit, name="rules_edit"),
    path("places/<slug:slug>/boundaries/", views.boundaries, name="boundaries"),
    path("places/<slug:slug>/roles/", views.place_roles, name="place_roles"),
    path(
        "places/<slug:slug>/roles/<int:pk>/remove/",
        views.role_revoke,
        name="role_revoke",
    ),
    path("places/<slug:slug>/audit/", views.audit_log, name="audit_log"),
    path("profile/", views.profile, name="profile"),
    path("profile/data.json", views.my_data, name="my_data"),
    path("profile/delete/", views.delete_account, name="delete_account"),
]

urlpatterns = [
    path("", include((civic_patterns, "civic"))),
    path("", include("accountability.urls")),
    path("forums/", include("forums.urls")),
    path("cycles/", include("ballots.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # The ballot meter's and live results' strings, per language (cached a day).
    path(
        "jsi18n/",
        cache_page(86400)(JavaScriptCatalog.as_view(packages=["ballots"])),
        name="javascript-catalog",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.NB_SERVE_MEDIA:
    from django.views.static import serve

    # Uploaded pictures and their renditions, served by Django (development, and small
    # sites without a web server in front; README, "Pictures and documents").
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

from cms.views import search  # noqa: E402  (the project wires every app)

urlpatterns += [
    path("search/", search, name="search"),
    path("", include(wagtail_urls)),
]
