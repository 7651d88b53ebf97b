"""What the cycle pages share: the cycle (moved to its phase by date on a POST) and the receipt cookie."""

from __future__ import annotations

from django.core import signing
from django.shortcuts import get_object_or_404

from ballots import services
from ballots.models import Cycle

RECEIPT_COOKIE = "nb_receipt_{}"


def _cycle(request, slug) -> Cycle:
    """The cycle. Looking at a page (GET) never changes anything: phases move by date
    through the scheduled `advance_phases`. A request that acts on the cycle (POST)
    first moves it to the phase its dates say, so nobody can vote after voting closed
    because the scheduler is a minute late."""
    cycle = get_object_or_404(Cycle.objects.select_related("place"), slug=slug)
    if request.method == "POST":
        return services.cycle_refresh_phase(cycle)
    return cycle


def _receipt_from_cookie(request, cycle) -> str:
    raw = request.COOKIES.get(RECEIPT_COOKIE.format(cycle.pk), "")
    try:
        return signing.loads(raw, salt="nb-receipt") if raw else ""
    except signing.BadSignature:
        return ""
