from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as project_urls


@require_POST
def insert_one(request):
    """The baseline: session-authenticated POST that inserts one row."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_row (user_id) VALUES (%s)", [request.user.pk])
    return JsonResponse({"ok": True}, status=201)


def read_page(request):
    """The baseline for the API: one query for 50 proposals' fields, as JSON."""
    from forums.models import Proposal

    rows = list(
        Proposal.objects.order_by("pk").values("id", "title", "status", "cost_pence")[
            :50
        ]
    )
    return JsonResponse({"items": rows})


def minimal_page(request):
    """The baseline for pages: a small HTML page, no database, no template."""
    return HttpResponse(
        "<!doctype html><html lang=en><title>Minimal</title><p>A minimal page.</p>"
    )


urlpatterns = [
    path("bench/page/", minimal_page),
    path("bench/insert/", insert_one),
    path("bench/read/", read_page),
    *project_urls,
]
