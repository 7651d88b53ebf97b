"""Moderation: reports, hiding and restoring with a public reason, locking, dismissing."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.audit import audit_record
from civic.ratelimit import limit
from forums.models import (
    Comment,
    Proposal,
    Report,
)
from forums.services.common import ForumError

# Moderation -------------------------------------------------------------------------


@transaction.atomic
def report_create(*, user, target: Comment | Proposal, reason: str) -> Report:
    if not reason.strip():
        raise ForumError(_("Say what is wrong so moderators can act."))
    limit(f"report:{user.pk}", max_hits=20, per_seconds=3600, what=_("reports"))
    report = Report(
        forum=target.forum,
        reporter=user,
        reason=reason[:500],
        comment=target if isinstance(target, Comment) else None,
        proposal=target if isinstance(target, Proposal) else None,
    )
    report.save()
    return report


def _target_label(target) -> str:
    return f"{target._meta.verbose_name} #{target.pk}"


@transaction.atomic
def moderate(*, actor, target, action: str, reason: str = "") -> None:
    """Hide (with a public reason), restore, lock or unlock. Nothing is ever deleted."""
    if action == "hide":
        if not reason.strip():
            raise ForumError(
                _("Give the public reason shown in place of the hidden text.")
            )
        target.hidden, target.hidden_reason = True, reason[:300]
        target.save(update_fields=["hidden", "hidden_reason"])
    elif action == "restore":
        target.hidden, target.hidden_reason = False, ""
        target.save(update_fields=["hidden", "hidden_reason"])
    elif action in ("lock", "unlock"):
        if not hasattr(target, "comments_locked"):
            raise ForumError(_("Only a discussion can be locked."))
        target.comments_locked = action == "lock"
        target.save(update_fields=["comments_locked"])
    else:
        raise ForumError(_("Unknown moderation action."))
    Report.objects.filter(
        resolved_at__isnull=True,
        **(
            {"comment": target}
            if isinstance(target, Comment)
            else {"proposal": target}
            if isinstance(target, Proposal)
            else {"pk__in": []}
        ),
    ).update(resolved_at=timezone.now(), resolved_by=actor, resolution=action)
    audit_record(
        actor=actor,
        action=f"moderation.{action}",
        target=target,
        place=target.forum.place,
        summary=_("%(what)s: %(action)s")
        % {"what": _target_label(target), "action": action},
        data={"reason": reason[:300]},
    )


@transaction.atomic
def report_dismiss(*, actor, report: Report) -> None:
    report.resolved_at, report.resolved_by, report.resolution = (
        timezone.now(),
        actor,
        "dismissed",
    )
    report.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    audit_record(
        actor=actor,
        action="moderation.dismiss",
        target=report,
        place=report.forum.place,
        summary=_("Report #%(id)s dismissed") % {"id": report.pk},
    )
