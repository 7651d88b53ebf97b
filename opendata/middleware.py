"""Conditional GET for open data: every answer under /api/v1/ and /open-data/ carries
an ETag (a digest of its body) and a Last-Modified (when the open data last changed,
opendata/receivers.py), so a client asking again with If-None-Match or
If-Modified-Since gets 304 Not Modified. Django's ConditionalGetMiddleware does the
comparing; this only limits it to open data and adds Last-Modified."""

from django.middleware.http import ConditionalGetMiddleware
from django.utils.http import http_date

from .receivers import data_changed_at

PREFIXES = ("/api/v1/", "/open-data/")


class OpenDataCaching(ConditionalGetMiddleware):
    def process_response(self, request, response):
        if not request.path.startswith(PREFIXES):
            return response
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.streaming
            and not response.has_header("Last-Modified")
        ):
            response["Last-Modified"] = http_date(data_changed_at())
        response.setdefault("Cache-Control", "public, max-age=60")
        return super().process_response(request, response)
