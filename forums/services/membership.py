"""Membership: joining (postcode, posted residency code, organiser approval), decisions
on requests, following a forum."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.audit import audit_record
from civic.framework import resolve_rules
from civic.models import RoleKind, VerificationMethod, normalise_postcode
from civic.services import role_grant
from forums import notifications
from forums.models import (
    Follow,
    Forum,
    Membership,
    MembershipStatus,
)
from forums.services import residency_codes
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
        code_row = residency_codes.redeem(
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


def follow_toggle(*, user, forum: Forum) -> bool:
    deleted, _n = Follow.objects.filter(forum=forum, user=user).delete()
    if deleted:
        return False
    Follow.objects.get_or_create(forum=forum, user=user)
    return True
