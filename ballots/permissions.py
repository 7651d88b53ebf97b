"""Permissions for cycles and ballots, each declared once (see civic/permissions.py)."""

import rules

from civic.permissions import (
    OFFICER,
    ORGANISER,
    always_allow,
    declare,
    is_authenticated,
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
declare("ballots.export", roles=[OFFICER], others=results_published)
declare("ballots.recount", others=results_published)
