"""Permissions for cycles and ballots, each declared once (see civic/permissions.py)."""

import rules

from civic.permissions import (
    OFFICER,
    ORGANISER,
    always_allow,
    declare,
    is_authenticated,
)
from civic.selectors import mfa_set_up

from .models import PollingPoint, PollOfficerShift


@rules.predicate
def on_shift(user, point) -> bool:
    """A poll officer during a shift at this polling point, signed in with two
    factors like other staff (the desk sends one without them to set it up)."""
    return (
        isinstance(point, PollingPoint)
        and user.is_authenticated
        and PollOfficerShift.objects.under_way().filter(point=point, user=user).exists()
        and mfa_set_up(user)
    )


@rules.predicate
def results_published(user, cycle) -> bool:
    return getattr(cycle, "results_published", False)


declare("ballots.view_cycle", others=always_allow)
declare("ballots.vote", others=is_authenticated)
declare("ballots.support", others=is_authenticated)
declare("ballots.check_receipt", others=always_allow)
declare("ballots.vote_with_code", others=always_allow)
declare("ballots.manage_codes", roles=[OFFICER])
declare("ballots.manage_cycle", roles=[OFFICER])
declare("ballots.enter_paper", roles=[ORGANISER, OFFICER])
# The desk of a polling point: its poll officers during their shifts, and the officers
# of its place (who grant the shifts: ballots.manage_cycle on the point).
declare("ballots.run_polling_point", roles=[OFFICER], others=on_shift)
declare("ballots.export", roles=[OFFICER], others=results_published)
declare("ballots.recount", others=results_published)
