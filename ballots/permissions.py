"""Permissions for cycles and ballots (see civic/permissions.py for the predicates)."""

import rules

from civic.permissions import (
    ROLE_ONLY,
    has_mfa,
    is_authenticated,
    is_officer,
    is_organiser,
)


@rules.predicate
def results_published(user, cycle) -> bool:
    return getattr(cycle, "phase", None) in ("results", "delivery") or getattr(
        cycle, "archived", False
    )


rules.add_perm("ballots.view_cycle", rules.always_allow)
rules.add_perm("ballots.vote", is_authenticated)
rules.add_perm("ballots.check_receipt", rules.always_allow)
rules.add_perm("ballots.vote_with_code", rules.always_allow)
rules.add_perm("ballots.manage_codes", is_authenticated & is_officer & has_mfa)
rules.add_perm("ballots.manage_cycle", is_authenticated & is_officer & has_mfa)
rules.add_perm(
    "ballots.enter_paper", is_authenticated & (is_organiser | (is_officer & has_mfa))
)
rules.add_perm(
    "ballots.export", (is_authenticated & is_officer & has_mfa) | results_published
)
rules.add_perm("ballots.recount", results_published)

ROLE_ONLY["ballots.manage_cycle"] = is_officer
ROLE_ONLY["ballots.enter_paper"] = is_organiser | is_officer
ROLE_ONLY["ballots.export"] = is_officer
ROLE_ONLY["ballots.manage_codes"] = is_officer
