"""Membership: joining (postcode, posted code, organiser approval), decisions on requests, verification codes, following a forum."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.audit import audit_record
from civic.framework import resolve_rules
from civic.models import RoleKind, VerificationMethod
from civic.services import role_grant
from forums import notifications
from forums.models import (
    Follow,
    Forum,
    Membership,
    MembershipStatus,
    VerificationCode,
    VerificationCodeBatch,
)
from forums.services.common import ForumError

# Membership -------------------------------------------------------------------------


def _verify(membership: Membership, *, method: str, actor=None) -> Membership:
    membership.status = MembershipStatus.VERIFIED
    membership.method = method
    membership.verified_at = timezone.now()
    membership.decided_by = actor
    membership.save()
    role_grant(
        actor=actor,
        user=membership.user,
        place=membership.forum.place,
        kind=RoleKind.RESIDENT,
        verification_method=method,
    )
    Follow.objects.get_or_create(forum=membership.forum, user=membership.user)
    return membership


@transaction.atomic
def forum_join(
    *,
    user,
    forum: Forum,
    method: str,
    postcode: str = "",
    code: str = "",
    message: str = "",
) -> Membership:
    """Join a forum by one of the verification methods its framework rules allow."""
    allowed = resolve_rules(forum.place).verification_methods
    if method not in allowed:
        raise ForumError(
            _("%(forum)s does not accept that way of verifying residency.")
            % {"forum": forum}
        )
    membership = (
        Membership.objects.select_for_update().filter(forum=forum, user=user).first()
    )
    if membership and membership.status == MembershipStatus.VERIFIED:
        raise ForumError(_("You are already a verified member of this forum."))
    membership = membership or Membership(forum=forum, user=user)
    membership.method = method
    membership.message = message[:500]
    membership.requested_at = timezone.now()
    if method == VerificationMethod.POSTCODE:
        from civic.models import normalise_postcode

        postcode = normalise_postcode(postcode)
        if not forum.place.covers_postcode(postcode):
            raise ForumError(
                _(
                    "%(pc)s is not in %(place)s. If you live here, ask for a code or for approval."
                )
                % {"pc": postcode or _("That postcode"), "place": forum.place.name}
            )
        membership.declared_postcode = postcode
        if not user.postcode:
            user.postcode = postcode
            user.save(update_fields=["postcode"])
        return _verify(membership, method=method)
    if method == VerificationMethod.CODE:
        code_row = _redeem_code(
            forum=forum, code=code, user=user, used_for="membership"
        )
        membership = _verify(membership, method=method)
        audit_record(
            actor=user,
            action="membership.code",
            target=membership,
            place=forum.place,
            summary=_("Residency verified with code %(c)s…")
            % {"c": code_row.plain[:3]},
        )
        return membership
    membership.status = MembershipStatus.PENDING
    membership.save()
    transaction.on_commit(lambda: notifications.membership_requested(membership))
    return membership


def _redeem_code(*, forum: Forum, code: str, user, used_for: str) -> VerificationCode:
    row = (
        VerificationCode.objects.select_for_update()
        .select_related("batch__forum")
        .filter(code=VerificationCode.digest(code))
        .first()
    )
    if row is None:
        raise ForumError(
            _("That code was not recognised. Check it against your letter.")
        )
    if row.batch.forum_id != forum.pk:
        raise ForumError(_("That code belongs to a different neighbourhood."))
    if row.used_at is not None:
        raise ForumError(_("That code has already been used. Each code works once."))
    if row.batch.expires_at < timezone.now():
        raise ForumError(
            _("That code has expired. Ask the forum organisers for a new one.")
        )
    row.used_by = user
    row.used_at = timezone.now()
    row.used_for = used_for
    row.save(update_fields=["used_by", "used_at", "used_for"])
    return row


redeem_code = _redeem_code


@transaction.atomic
def membership_decide(*, actor, membership: Membership, approve: bool) -> Membership:
    if membership.status != MembershipStatus.PENDING:
        raise ForumError(_("This request has already been decided."))
    if approve:
        _verify(membership, method=VerificationMethod.APPROVAL, actor=actor)
    else:
        membership.status = MembershipStatus.REJECTED
        membership.decided_by = actor
        membership.save()
    audit_record(
        actor=actor,
        action="membership.approve" if approve else "membership.reject",
        target=membership,
        place=membership.forum.place,
        summary=_("Membership request #%(id)s %(what)s")
        % {"id": membership.pk, "what": _("approved") if approve else _("declined")},
    )
    return membership


@transaction.atomic
def codes_generate(
    *, actor, forum: Forum, count: int, days_valid: int, note: str = ""
) -> VerificationCodeBatch:
    if not 1 <= count <= 5000:
        raise ForumError(_("Generate between 1 and 5,000 codes at a time."))
    if not 1 <= days_valid <= 730:
        raise ForumError(_("Codes must be valid for between 1 and 730 days."))
    batch = VerificationCodeBatch.objects.create(
        forum=forum,
        created_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=days_valid),
        note=note[:200],
    )
    codes: set[str] = set()
    from forums.models import new_code

    while len(codes) < count:
        codes.add(new_code())
    VerificationCode.objects.bulk_create(
        VerificationCode.issued(c, batch=batch) for c in codes
    )
    audit_record(
        actor=actor,
        action="codes.generate",
        target=batch,
        place=forum.place,
        summary=_("%(n)s verification codes generated for %(f)s")
        % {"n": count, "f": forum},
    )
    return batch


def follow_toggle(*, user, forum: Forum) -> bool:
    deleted, _n = Follow.objects.filter(forum=forum, user=user).delete()
    if deleted:
        return False
    Follow.objects.get_or_create(forum=forum, user=user)
    return True
