from django.urls import path

from . import views

app_name = "accountability"

urlpatterns = [
    path(
        "places/<slug:slug>/decisions/",
        views.decisions_for_place,
        name="decisions",
    ),
    path("places/<slug:slug>/report/", views.report, name="report"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path(
        "decisions/<int:pk>/print/",
        views.decision_detail,
        {"printable": True},
        name="decision_print",
    ),
    path(
        "decisions/<int:pk>/publish/",
        views.decision_publish_view,
        name="decision_publish",
    ),
    path(
        "forums/<slug:slug>/proposals/<int:pk>/delivery/",
        views.delivery,
        name="delivery",
    ),
]
