"""What the forums hold about a person, for the personal-data download and for
anonymising their contributions when they delete their account."""

from __future__ import annotations

from .models import (
    Comment,
    Follow,
    Idea,
    Membership,
    Proposal,
    Reaction,
    Report,
    Topic,
    VerificationCode,
)


def export(user) -> dict:
    return {
        "memberships": [
            {"forum": m.forum.name, "status": m.status, "method": m.method}
            for m in Membership.objects.filter(user=user).select_related("forum")
        ],
        "verification_codes_used": [
            {"forum": c.batch.forum.name, "used_at": c.used_at}
            for c in VerificationCode.objects.filter(used_by=user).select_related(
                "batch__forum"
            )
        ],
        "ideas": list(
            Idea.objects.filter(author=user).values(
                "title", "summary", "description", "status", "created_at"
            )
        ),
        "proposals": list(
            Proposal.objects.filter(author=user).values(
                "title", "summary", "status", "created_at"
            )
        ),
        "topics": [
            {
                "forum": t.forum.name,
                "title": t.title,
                "body": t.body,
                "hidden": t.hidden,
                "created_at": t.created_at,
            }
            for t in Topic.objects.filter(author=user).select_related("forum")
        ],
        "comments": list(
            Comment.objects.filter(author=user).values("body", "created_at", "hidden")
        ),
        "reactions": [
            {
                "comment": r.comment_id,
                "on": str(r.comment.thread),
                "reaction": "agree" if r.value == Reaction.AGREE else "disagree",
            }
            for r in Reaction.objects.filter(user=user).select_related(
                "comment__proposal", "comment__topic"
            )
        ],
        "reports": [
            {
                "forum": r.forum.name,
                "about": "comment" if r.comment_id else "proposal",
                "reason": r.reason,
                "created_at": r.created_at,
                "resolution": r.resolution,
            }
            for r in Report.objects.filter(reporter=user).select_related("forum")
        ],
        "follows": [
            {"forum": f.forum.name, "since": f.created_at}
            for f in Follow.objects.filter(user=user).select_related("forum")
        ],
    }


def erase(user) -> None:
    """Contributions stay in the debate without a name."""
    for model in (Comment, Idea, Proposal, Topic):
        model.objects.filter(author=user).update(author=None)
