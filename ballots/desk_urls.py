"""A polling point's desk (ballots/views/desk.py), under /polling-points/."""

from django.urls import path

from .views import desk

app_name = "desk"

urlpatterns = [
    path("<int:pk>/", desk.desk, name="desk"),
    path("<int:pk>/shifts/", desk.shifts, name="shifts"),
    path("<int:pk>/<slug:slug>/hand-over/", desk.hand_over, name="hand_over"),
    path("<int:pk>/<slug:slug>/screen/<str:ticket>/", desk.kiosk, name="kiosk"),
    path(
        "<int:pk>/<slug:slug>/screen/<str:ticket>/give-up/",
        desk.give_up,
        name="give_up",
    ),
    path("<int:pk>/<slug:slug>/paper/", desk.paper, name="paper"),
    path("<int:pk>/<slug:slug>/register/", desk.register, name="register"),
    path("<int:pk>/<slug:slug>/spoilt/", desk.spoilt, name="spoilt"),
]
