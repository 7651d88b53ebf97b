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


urlpatterns = [path("bench/insert/", insert_one), *project_urls]
