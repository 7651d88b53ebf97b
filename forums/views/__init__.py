"""Forum pages, one module per concern. Thin: parse, ask the permission module, call
one service, render."""

from .common import forum_context
from .debate import comment_edit, comment_post, react, topic_detail, topic_new
from .forum import follow, forum_detail, map_data
from .ideas import idea_detail, idea_edit, idea_new, idea_review, ideas
from .membership import join
from .moderation import moderate, report
from .proposals import proposal_detail, proposal_edit, proposal_new, proposal_transition

__all__ = [
    "comment_edit",
    "comment_post",
    "follow",
    "forum_context",
    "forum_detail",
    "idea_detail",
    "idea_edit",
    "idea_new",
    "idea_review",
    "ideas",
    "join",
    "map_data",
    "moderate",
    "proposal_detail",
    "proposal_edit",
    "proposal_new",
    "proposal_transition",
    "react",
    "report",
    "topic_detail",
    "topic_new",
]
