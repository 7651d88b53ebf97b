"""Reads for the public pages, from the apps below cms."""

from __future__ import annotations

from accountability.models import Decision
from ballots.models import Cycle, Phase
from civic.forms import PostcodeForm
from civic.models import Place


def home_context() -> dict:
    return {
        "open_cycles": list(
            Cycle.objects.filter(phase=Phase.VOTING, archived=False).select_related(
                "place"
            )[:6]
        ),
        "recent_results": list(
            Cycle.objects.filter(
                phase__in=[Phase.RESULTS, Phase.DELIVERY], archived=False
            ).select_related("place")[:4]
        ),
        "recent_decisions": list(
            Decision.objects.filter(published_at__isnull=False)
            .select_related("place")
            .order_by("-published_at")[:4]
        ),
        "postcode_form": PostcodeForm(),
        "counties": list(Place.get_root_nodes().exclude(slug="pabulib-archive")),
    }
