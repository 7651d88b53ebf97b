"""Residency codes: a one-use code an organiser prints and posts to a household, which
proves residency. A resident joins the forum with it (`forum_join`); an organiser may
also key in a paper ballot with it for someone without an account. Not to be confused
with voting codes (`ballots/voting_codes.py`), which vote without an account.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import letters
from civic.audit import audit_record
from forums.models import Forum, VerificationCode, VerificationCodeBatch, new_code
from forums.services.common import ForumError


@transaction.atomic
def generate(
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


def find(code: str, *, lock: bool = False) -> VerificationCode | None:
    """The residency code typed as `code` (any forum's), locked if asked."""
    rows = VerificationCode.objects.select_related("batch__forum__place")
    if lock:
        rows = rows.select_for_update(of=("self",))
    return rows.filter(code__in=VerificationCode.digests(code)).first()


def redeem(*, forum: Forum, code: str, user, used_for: str) -> VerificationCode:
    """Spend a residency code of `forum` (for joining it, or a paper ballot entered
    without an account), or ForumError saying why it cannot be used."""
    return spend(find(code, lock=True), forum=forum, user=user, used_for=used_for)


def spend(row: VerificationCode | None, *, forum: Forum, user, used_for: str):
    """Mark a code found with `lock=True` used, or ForumError saying why not."""
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


@transaction.atomic
def post_letters(*, actor, batch: VerificationCodeBatch, addresses) -> int:
    """The batch's unused codes, posted as letters through GOV.UK Notify, one to each
    address (civic/letters.py), each in the forum's own words (forums/printing.py)."""
    from forums.printing import notify_letter_pdf, slip_lines

    forum = batch.forum
    if batch.expires_at <= timezone.now():
        raise ForumError(_("This batch has expired: generate a new one to post."))

    def letter_for(address, code):
        return notify_letter_pdf(
            _("Have your say on %(f)s's budget") % {"f": forum.name},
            address,
            [forum.name],
            lambda width: slip_lines(forum, batch, code, width),
        )

    n = letters.post_codes(
        actor=actor,
        about=batch,
        codes=batch.codes.filter(used_at__isnull=True),
        addresses=addresses,
        letter_for=letter_for,
    )
    audit_record(
        actor=actor,
        action="codes.letters",
        target=batch,
        place=forum.place,
        summary=_("%(n)s residency-code letters sent to GOV.UK Notify") % {"n": n},
    )
    return n
