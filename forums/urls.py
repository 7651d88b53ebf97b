from django.urls import path

from . import compare, views

app_name = "forums"

urlpatterns = [
    path("map/<slug:place>.geojson", views.map_data, name="map"),
    path("<slug:slug>/", views.forum_detail, name="forum"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/follow/", views.follow, name="follow"),
    path("<slug:slug>/ideas/", views.ideas, name="ideas"),
    path("<slug:slug>/ideas/new/", views.idea_new, name="idea_new"),
    path("<slug:slug>/ideas/<int:pk>/", views.idea_detail, name="idea"),
    path("<slug:slug>/ideas/<int:pk>/edit/", views.idea_edit, name="idea_edit"),
    path("<slug:slug>/ideas/<int:pk>/review/", views.idea_review, name="idea_review"),
    path("<slug:slug>/proposals/new/", views.proposal_new, name="proposal_new"),
    path("<slug:slug>/proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path(
        "<slug:slug>/proposals/<int:pk>.pdf",
        compare.proposal_pdf,
        name="proposal_pdf",
    ),
    path("<slug:slug>/compare/", compare.compare, name="compare"),
    path(
        "<slug:slug>/proposals/<int:pk>/edit/",
        views.proposal_edit,
        name="proposal_edit",
    ),
    path(
        "<slug:slug>/proposals/<int:pk>/status/",
        views.proposal_transition,
        name="proposal_transition",
    ),
    path("<slug:slug>/topics/new/", views.topic_new, name="topic_new"),
    path("<slug:slug>/topics/<int:pk>/", views.topic_detail, name="topic"),
    path(
        "<slug:slug>/<str:kind>/<int:pk>/comment/", views.comment_post, name="comment"
    ),
    path(
        "<slug:slug>/comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"
    ),
    path("<slug:slug>/comments/<int:pk>/react/", views.react, name="react"),
    path("<slug:slug>/report/<str:kind>/<int:pk>/", views.report, name="report"),
    path("<slug:slug>/moderate/<str:kind>/<int:pk>/", views.moderate, name="moderate"),
]
