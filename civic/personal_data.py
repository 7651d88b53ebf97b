"""A resident's own data: download it, or delete the account.

Deleting keeps the democratic record whole: ballots were never linked to the person and
stay counted; the register keeps an anonymous "someone voted" row; comments, ideas and
proposals stay in the debate without a name ("Former resident").
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction

from .audit import audit_record
from .models import Role, User


def export_data(user: User) -> dict:
    Comment = apps.get_model("forums", "Comment")
    Idea = apps.get_model("forums", "Idea")
    Proposal = apps.get_model("forums", "Proposal")
    Membership = apps.get_model("forums", "Membership")
    VoterRecord = apps.get_model("ballots", "VoterRecord")
    from allauth.account.models import EmailAddress

    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "postcode": user.postcode,
            "year_of_birth": user.year_of_birth,
            "date_joined": user.date_joined.isoformat(),
            "notifications": {
                "replies": user.notify_replies,
                "comments_on_yours": user.notify_proposal_comments,
                "forum_updates": user.notify_forum_updates,
                "receipt": user.notify_receipt,
            },
            "language": user.language,
            "email_addresses": list(
                EmailAddress.objects.filter(user=user).values(
                    "email", "verified", "primary"
                )
            ),
        },
        "roles": [
            {
                "place": r.place.name,
                "role": r.kind,
                "verified_by": r.verification_method,
                "since": r.granted_at.isoformat(),
            }
            for r in Role.objects.filter(user=user).select_related("place")
        ],
        "memberships": [
            {"forum": m.forum.name, "status": m.status, "method": m.method}
            for m in Membership.objects.filter(user=user).select_related("forum")
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
        "comments": list(
            Comment.objects.filter(author=user).values("body", "created_at", "hidden")
        ),
        "votes": [
            {
                "cycle": v.cycle.name,
                "channel": v.channel,
                "when": v.voted_at.isoformat(),
                "note": "How you voted is not linked to you and cannot be included.",
            }
            for v in VoterRecord.objects.filter(user=user).select_related("cycle")
        ],
    }


@transaction.atomic
def delete_account(user: User) -> None:
    VoterRecord = apps.get_model("ballots", "VoterRecord")
    VoterRecord.objects.filter(user=user).update(user=None, erased=True)
    for model in ("Comment", "Idea", "Proposal", "Topic"):
        apps.get_model("forums", model).objects.filter(author=user).update(author=None)
    audit_record(
        actor=None,
        action="account.delete",
        summary=f"Account #{user.pk} deleted at the holder's request",
    )
    user.delete()
