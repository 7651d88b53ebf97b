"""The civic domain's pages: places, their boundaries, the audit log,
and each person's profile and data."""

from django.urls import path

from . import views

app_name = "civic"

urlpatterns = [
    path("places/", views.home, name="home"),
    path("find/", views.find_place, name="find_place"),
    path("places/<slug:slug>/", views.place_detail, name="place"),
    path("places/<slug:slug>/audit/", views.audit_log, name="audit_log"),
    path("profile/", views.profile, name="profile"),
    path("profile/data.json", views.my_data, name="my_data"),
    path("profile/mobile/", views.mobile, name="mobile"),
    path("profile/mobile/confirm/", views.mobile_confirm, name="mobile_confirm"),
    path("profile/delete/", views.delete_account, name="delete_account"),
]
