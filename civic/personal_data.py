"""A resident's own data: download it, or delete the account.

Deleting keeps the democratic record whole: ballots were never linked to the person and
stay counted; the register keeps an anonymous "someone voted" row; comments, ideas and
proposals stay in the debate without a name ("Former resident").

Each app above civic adds what it holds about a person by registering an exporter and
an eraser here (in its AppConfig.ready), so this module imports nothing above civic.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from .audit import audit_record
from .models import Role, User

_exporters: list[Callable[[User], dict]] = []
_erasers: list[Callable[[User], None]] = []


def register(
    *,
    export: Callable[[User], dict],
    erase: Callable[[User], None] | None = None,
) -> None:
    """Add an app's part: `export(user)` returns {section: data} for the download;
    `erase(user)` anonymises what must outlive the account, before it is deleted."""
    if export not in _exporters:
        _exporters.append(export)
    if erase is not None and erase not in _erasers:
        _erasers.append(erase)


def export_data(user: User) -> dict:
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    data = {
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
                "receipt_by_text": user.text_receipt,
                "reminders_by_text": user.text_reminders,
            },
            "mobile": user.mobile,
            "mobile_confirmed": user.mobile_verified,
            "signs_in_with": list(
                SocialAccount.objects.filter(user=user).values("provider", "uid")
            ),
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
    }
    for export in _exporters:
        data.update(export(user))
    return data


@transaction.atomic
def delete_account(user: User) -> None:
    for erase in _erasers:
        erase(user)
    audit_record(
        actor=None,
        action="account.delete",
        summary=f"Account #{user.pk} deleted at the holder's request",
    )
    user.delete()
