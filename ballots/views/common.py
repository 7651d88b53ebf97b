"""What the cycle pages share: the cycle (moved to its phase by date on a POST), the receipt cookie, and what an officer is told after a phase change or count."""

from __future__ import annotations

from django.core import signing
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ballots import services
from ballots.models import Cycle, Phase

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


def phase_message(phase: str, now: bool) -> str:
    """What an officer is told after asking for a phase change (here and in the back
    office): made, or, for publishing, counting in the background."""
    if now:
        return _("The cycle is now: %(p)s.") % {"p": Phase(phase).label}
    return _(
        "Counting every ballot has started in the background. The result is "
        "published when the count is done, usually within a minute: reload this page."
    )


def count_message(now: bool) -> str:
    if now:
        return _(
            "Counted. The result is published when the cycle moves to 'Results published'."
        )
    return _(
        "Counting every ballot has started in the background; the result appears on "
        "this page when the count is done, usually within a minute."
    )
