"""Logs a council's IT can read and keep: one JSON line per record in production
(LOG_FORMAT=json; plain text otherwise), one line per request (`nb.request`: method,
the URL's route pattern, view, status, milliseconds, request id), and a request id that
follows the work into the task queue (config/celery.py).

Never personal data: a request is logged by its route (`cycles/<slug:slug>/vote/`),
never its path or query (which may hold a code or a key); every record passes `Scrub`,
which removes email addresses, voting and residency codes, receipts and any path that
a library logs (`Not Found: /accounts/confirm-email/<key>/`). Health checks, /metrics
and static files are not logged.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid

request_id = contextvars.ContextVar("request_id", default="")

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Posted codes (ABCDE-FGHJK), receipts (ABCD-EFGH-JKMN-PQRS), either without dashes.
CODE = re.compile(
    r"\b(?:[A-HJ-NP-Z2-9]{4}-){3}[A-HJ-NP-Z2-9]{4}\b|\b[A-HJ-NP-Z2-9]{5}-?[A-HJ-NP-Z2-9]{5}\b"
    r"|\b[A-HJ-NP-Z2-9]{16}\b"
)
QUIET_PREFIXES = ("/health/", "/metrics", "/static/", "/favicon.ico")


def scrub(text: str) -> str:
    return CODE.sub("[code]", EMAIL.sub("[email]", text))


def route_of(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.route if match is not None and match.route else "[unmatched]"


class Scrub(logging.Filter):
    """Removes personal data from a record's message (and from any path a library put
    in it); adds the request id."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        request = getattr(record, "request", None)
        if request is not None and getattr(request, "path", None):
            message = message.replace(request.path, route_of(request))
            record.request = None  # its repr would carry the path again
        record.msg, record.args = scrub(message), ()
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    FIELDS = ("method", "route", "view", "status", "ms", "task")

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id.get(),
        }
        for field in self.FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info:
            line["error"] = scrub(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


SAFE_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
log = logging.getLogger("nb.request")


class RequestLogMiddleware:
    """The request id (the proxy's X-Request-ID if it is a plain token, else a new
    one), echoed in the response; then one log line for the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        token = request_id.set(given if SAFE_ID.match(given) else uuid.uuid4().hex)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id.get()
            if not request.path.startswith(QUIET_PREFIXES):
                match = getattr(request, "resolver_match", None)
                log.info(
                    "%s %s %s",
                    request.method,
                    route_of(request),
                    response.status_code,
                    extra={
                        "method": request.method,
                        "route": route_of(request),
                        "view": match.view_name if match else "",
                        "status": response.status_code,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            request_id.reset(token)


def config(json_lines: bool, level: str, requests: bool) -> dict:
    """The LOGGING setting."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"scrub": {"()": "config.logging.Scrub"}},
        "formatters": {
            "json": {"()": "config.logging.JsonFormatter"},
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["scrub"],
                "formatter": "json" if json_lines else "plain",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "nb.request": {"level": "INFO" if requests else "WARNING"},
            # 404s are counted in /metrics; their paths would only be noise (or keys).
            "django.request": {"level": "ERROR"},
        },
    }


def scrub_event(event: dict, hint=None) -> dict:
    """Sentry's before_send: the same scrubbing for error reports. No cookies, headers,
    form data or query strings leave the site; every remaining string is scrubbed."""
    request = event.get("request") or {}
    for field in ("cookies", "data", "headers", "query_string", "env"):
        request.pop(field, None)
    event.pop("user", None)

    def clean(value):
        if isinstance(value, str):
            return scrub(value)
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value

    return clean(event)


def start_sentry(dsn: str, environment: str) -> None:
    """Error reporting to Sentry (SENTRY_DSN), off when it is not set."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        before_send=scrub_event,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        max_request_body_size="never",
        include_local_variables=False,
    )
