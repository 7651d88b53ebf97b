from django.urls import path

from . import code_views, views
from .views import can_vote as can_vote_views
from .views import supports as supports_views

app_name = "ballots"

urlpatterns = [
    path("<slug:slug>/", views.cycle_detail, name="cycle"),
    path("<slug:slug>/phase/", views.cycle_phase, name="phase"),
    path("<slug:slug>/reopen/", views.reopen, name="reopen"),
    path("<slug:slug>/fence-waiver/", views.fence_waiver, name="fence_waiver"),
    path("<slug:slug>/vote/", views.vote, name="vote"),
    path("<slug:slug>/can-i-vote/", can_vote_views.can_i_vote, name="can_vote"),
    path("<slug:slug>/supports/<int:pk>/", supports_views.support, name="support"),
    path("<slug:slug>/ballot.json", views.cast_json, name="cast_json"),
    path("<slug:slug>/receipt/", views.receipt, name="receipt"),
    path("<slug:slug>/code/", code_views.code_start, name="code"),
    path("<slug:slug>/code/ballot/", code_views.code_ballot, name="code_ballot"),
    path("<slug:slug>/codes/", code_views.codes, name="codes"),
    path("<slug:slug>/codes/cancel/", code_views.code_revoke, name="code_revoke"),
    path(
        "<slug:slug>/codes/<int:pk>/letters/",
        code_views.code_letters,
        name="code_letters",
    ),
    path(
        "<slug:slug>/codes/<int:pk>/cancel/",
        code_views.batch_revoke,
        name="batch_revoke",
    ),
    path(
        "<slug:slug>/codes/<int:pk>.<str:fmt>",
        code_views.codes_download,
        name="codes_download",
    ),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/statistics/", views.statistics, name="statistics"),
    path("<slug:slug>/count/", views.count, name="count"),
    path("<slug:slug>/export/<int:section_id>.<str:fmt>", views.export, name="export"),
    path("<slug:slug>/recount/", views.recount, name="recount"),
]
