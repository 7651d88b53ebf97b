from django.urls import path

from . import views

app_name = "ballots"

urlpatterns = [
    path("<slug:slug>/", views.cycle_detail, name="cycle"),
    path("<slug:slug>/phase/", views.cycle_phase, name="phase"),
    path("<slug:slug>/vote/", views.vote, name="vote"),
    path("<slug:slug>/ballot.json", views.cast_json, name="cast_json"),
    path("<slug:slug>/receipt/", views.receipt, name="receipt"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/statistics/", views.statistics, name="statistics"),
    path("<slug:slug>/count/", views.count, name="count"),
    path("<slug:slug>/paper/", views.paper, name="paper"),
    path("<slug:slug>/export/<int:section_id>.<str:fmt>", views.export, name="export"),
    path("<slug:slug>/recount/", views.recount, name="recount"),
]
