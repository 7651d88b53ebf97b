"""Health for load balancers and orchestrators (django-health-check).

- `/health/live`: the process answers; touches nothing else, so a slow database does
  not get healthy web processes killed.
- `/health/ready`: the database, the cache, Redis (the channel layer and the task
  queue's broker, when REDIS_URL is set) and the ballot seal key answer; 503 when any
  does not, so the balancer sends no one to a process that cannot serve a vote.

Both answer JSON (`{"Database(alias='default')": "OK", ...}`), are never cached, and
are left out of the request log (config/logging.py).
"""

from __future__ import annotations

import dataclasses

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class SealKey(HealthCheck):
    """A production site has its own seal key (never one derived from SECRET_KEY), and
    it opens the ballots waiting to be mixed: a key lost or changed since they were
    cast would leave them unreadable, so the site must not take more."""

    async def run(self):
        if settings.PRODUCTION and not settings.NB_BALLOT_SEAL_KEY:
            raise ServiceUnavailable("BALLOT_SEAL_KEY is not set")
        await sync_to_async(self.open_one_waiting_ballot)()

    @staticmethod
    def open_one_waiting_ballot():
        from cryptography.exceptions import InvalidTag

        from ballots.ballot_box import unseal
        from ballots.models import SealedBallot

        row = SealedBallot.objects.only("sealed").first()
        if row is None:
            return
        try:
            unseal(row.sealed)
        except InvalidTag:
            raise ServiceUnavailable(
                "the seal key does not open the ballots waiting to be mixed"
            ) from None


def _checks():
    checks = [
        "health_check.checks.Database",
        "health_check.checks.Cache",
        SealKey,
    ]
    if settings.REDIS_URL:
        from redis.asyncio import Redis

        checks.append(
            (
                "health_check.contrib.redis.Redis",
                {
                    "client_factory": lambda: Redis.from_url(
                        settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
                    )
                },
            )
        )
    return checks


class Ready(HealthCheckView):
    def get_checks(self):
        self.checks = _checks()
        return super().get_checks()

    async def get(self, request, *args, **kwargs):
        if "format" not in request.GET:  # JSON, whatever the caller accepts
            request.GET = request.GET.copy()
            request.GET["format"] = "json"
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:  # the library's "a check failed"
            response.status_code = 503
        return response


ready = Ready.as_view()


@require_safe
def live(request):
    response = JsonResponse({"live": "OK"})
    add_never_cache_headers(response)
    return response
