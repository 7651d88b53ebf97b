"""Neighbourhood forums' models, one module per concern: the forum and who follows it,
membership and posted codes, ideas and proposals, debate, moderation, pictures and
documents. Everything is importable from `forums.models`."""

from forums.models.debate import Comment, Reaction, Topic
from forums.models.forum import Follow, Forum, InForum
from forums.models.media import (
    ONE_OF_IDEA_OR_PROPOSAL,
    Attachment,
    OnIdeaOrProposal,
    Picture,
)
from forums.models.membership import (
    Membership,
    MembershipStatus,
    PostedCode,
    VerificationCode,
    VerificationCodeBatch,
    new_code,
    normalise_code,
)
from forums.models.moderation import Report
from forums.models.proposals import (
    LOCATED,
    PUBLIC_STATUSES,
    Idea,
    IdeaStatus,
    Proposal,
    ProposalStatus,
    ProposalTransition,
    check_location,
)

__all__ = [
    "LOCATED",
    "ONE_OF_IDEA_OR_PROPOSAL",
    "PUBLIC_STATUSES",
    "Attachment",
    "Comment",
    "Follow",
    "Forum",
    "Idea",
    "IdeaStatus",
    "InForum",
    "Membership",
    "MembershipStatus",
    "OnIdeaOrProposal",
    "Picture",
    "Proposal",
    "ProposalStatus",
    "ProposalTransition",
    "Reaction",
    "Report",
    "Topic",
    "PostedCode",
    "VerificationCode",
    "VerificationCodeBatch",
    "check_location",
    "new_code",
    "normalise_code",
]
