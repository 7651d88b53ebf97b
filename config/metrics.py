"""`/metrics`, in Prometheus's text format: django-prometheus's request, view, database
and cache figures, and the platform's own, read when scraped:

- `nb_ballots_cast_total{channel}`: ballots cast online, by code, on paper (the register)
- `nb_sealed_ballots_waiting`: cast ballots waiting, sealed, to be mixed into the box
- `nb_live_sockets_open`, `nb_live_broadcasts_total`: live-results sockets and sends
- `nb_outbox_backlog`, `nb_outbox_failing`: emails not yet taken by the mail server, and
  those of them whose last try failed
- `nb_task_queue_depth`: tasks waiting in the broker's queue (Redis)
- `nb_export_builds_total`: published ballot files built
- `nb_cycles{phase}`: votes by phase

No label carries personal data. Under gunicorn with several workers, set
PROMETHEUS_MULTIPROC_DIR (make serve does) so every worker's request figures are summed.

Only scrapers may read it: a request from an address in METRICS_ALLOW (default
127.0.0.1 and ::1; behind a local proxy, the address the proxy was called from), or
one with `Authorization: Bearer <METRICS_TOKEN>`; anyone else gets a 404, as if there
were nothing here.
"""

from __future__ import annotations

import hmac
import os

from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from civic import metrics as shared


class PlatformCollector:
    def describe(self):
        return []  # read only when scraped, never at import

    def collect(self):
        from ballots.models import Cycle, SealedBallot, VoterRecord
        from civic.models import OutgoingEmail

        cast = CounterMetricFamily(
            "nb_ballots_cast", "Ballots cast, by channel", labels=["channel"]
        )
        for row in VoterRecord.objects.values("channel").annotate(n=Count("id")):
            cast.add_metric([row["channel"]], row["n"])
        yield cast
        yield GaugeMetricFamily(
            "nb_sealed_ballots_waiting",
            "Cast ballots waiting, sealed, to be mixed into the box",
            value=SealedBallot.objects.count(),
        )
        phases = GaugeMetricFamily("nb_cycles", "Votes by phase", labels=["phase"])
        for row in Cycle.objects.values("phase").annotate(n=Count("id")):
            phases.add_metric([row["phase"]], row["n"])
        yield phases
        unsent = OutgoingEmail.objects.filter(sent_at__isnull=True)
        yield GaugeMetricFamily(
            "nb_outbox_backlog",
            "Emails not yet taken by the mail server",
            value=unsent.count(),
        )
        yield GaugeMetricFamily(
            "nb_outbox_failing",
            "Unsent emails whose last try failed",
            value=unsent.exclude(last_error="").count(),
        )
        yield GaugeMetricFamily(
            "nb_live_sockets_open",
            "Live-results WebSockets open",
            value=max(shared.read("live_sockets_open"), 0),
        )
        yield CounterMetricFamily(
            "nb_live_broadcasts",
            "Live-results broadcasts sent",
            value=shared.read("live_broadcasts_total"),
        )
        yield CounterMetricFamily(
            "nb_export_builds",
            "Published ballot files built",
            value=shared.read("export_builds_total"),
        )
        yield GaugeMetricFamily(
            "nb_task_queue_depth",
            "Tasks waiting in the broker's queue",
            value=task_queue_depth(),
        )


def task_queue_depth() -> int:
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith(("redis://", "rediss://")):
        return 0  # no broker: tasks run in place (make run)
    from redis import Redis

    try:
        client = Redis.from_url(broker, socket_connect_timeout=1, socket_timeout=1)
        queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
        return int(client.llen(queue))
    except Exception:  # noqa: BLE001 — Redis away: /health/ready says so
        return 0


PLATFORM = CollectorRegistry(auto_describe=True)
PLATFORM.register(PlatformCollector())


def client_address(request) -> str:
    """Who is asking. Behind a proxy on an allowed address (make serve's nginx sets
    X-Forwarded-For to the address it was called from), the proxy's caller; a header
    from anyone else is ignored, so it cannot be used to pretend to be local."""
    direct = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and direct in settings.METRICS_ALLOW:
        return forwarded.split(",")[-1].strip()
    return direct


def allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    return client_address(request) in settings.METRICS_ALLOW


def view(request):
    if not allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    body = generate_latest(registry) + generate_latest(PLATFORM)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
