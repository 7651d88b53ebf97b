"""Writes in forums, one module per concern. Each service checks the domain rules,
saves atomically and audits; all are importable from `forums.services`."""

from forums.services.common import COMMENT_LIMIT, EDIT_WINDOW, IDEA_LIMIT, ForumError
from forums.services.debate import (
    comment_edit,
    comment_post,
    reaction_toggle,
    topic_create,
)
from forums.services.membership import (
    follow_toggle,
    forum_join,
    membership_decide,
)
from forums.services.moderation import moderate, report_create, report_dismiss
from forums.services.proposals import (
    check_cost_rules,
    cost_rule_problems,
    idea_review,
    idea_submit,
    idea_update,
    proposal_create,
    proposal_transition,
    proposal_update,
)

__all__ = [
    "COMMENT_LIMIT",
    "EDIT_WINDOW",
    "IDEA_LIMIT",
    "ForumError",
    "check_cost_rules",
    "cost_rule_problems",
    "comment_edit",
    "comment_post",
    "follow_toggle",
    "forum_join",
    "idea_review",
    "idea_submit",
    "idea_update",
    "membership_decide",
    "moderate",
    "proposal_create",
    "proposal_transition",
    "proposal_update",
    "reaction_toggle",
    "report_create",
    "report_dismiss",
    "topic_create",
]
