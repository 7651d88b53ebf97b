"""Permissions for decisions and delivery, each declared once (see
civic/permissions.py)."""

import rules

from civic.permissions import COUNCILLOR, OFFICER, ORGANISER, always_allow, declare


@rules.predicate
def is_published(user, decision) -> bool:
    return getattr(decision, "published_at", None) is not None


declare("accountability.record_decision", roles=[COUNCILLOR])
declare(
    "accountability.view_decision", roles=[COUNCILLOR, OFFICER], others=is_published
)
declare("accountability.view_report", others=always_allow)
declare("accountability.post_milestone", roles=[ORGANISER, OFFICER])
declare("accountability.attribute_funding", roles=[OFFICER])
declare("accountability.record_benefit", roles=[OFFICER])
