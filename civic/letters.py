"""Letters posted through GOV.UK Notify (civic/gov_notify.py): the address list an
officer uploads, checked as Notify checks it, and the letters stored sealed and queued
(the sending and the following of each letter's status: civic/tasks.py)."""

from __future__ import annotations

import csv
import io

from django.db import transaction
from django.utils.translation import gettext as _

from . import gov_notify, sealing, tasks
from .errors import DomainError
from .models import Letter, normalise_postcode
from .models.people import POSTCODE_RE

MAX_ADDRESSES = 5000
COLUMNS = [f"address_line_{n}" for n in range(1, 8)]


class AddressError(DomainError, ValueError):
    """An address list that cannot be used, and why."""


def parse_addresses(data: bytes) -> list[list[str]]:
    """The addresses in a CSV with Notify's columns address_line_1 … address_line_7
    (3 to 7 lines each, the last a UK postcode). Raises AddressError naming every row
    that is wrong: nothing is posted from a list with a mistake in it."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AddressError(
            _("The file is not UTF-8 text: save it as CSV UTF-8.")
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "address_line_1" not in reader.fieldnames:
        raise AddressError(
            _("The file needs a header row with address_line_1 to address_line_7.")
        )
    found, wrong = [], []
    for n, row in enumerate(reader, start=2):
        lines = [
            (row.get(c) or "").strip() for c in COLUMNS if (row.get(c) or "").strip()
        ]
        if len(lines) < 3:
            wrong.append(_("row %(n)s has fewer than 3 address lines") % {"n": n})
            continue
        postcode = normalise_postcode(lines[-1])
        if not POSTCODE_RE.match(postcode):
            wrong.append(
                _("row %(n)s does not end with a UK postcode (“%(p)s”)")
                % {"n": n, "p": lines[-1][:20]}
            )
            continue
        found.append([*lines[:-1], postcode])
    if wrong:
        raise AddressError(
            _("Nothing was posted. Mend these rows and upload the list again: %(w)s.")
            % {"w": "; ".join(wrong[:10])}
        )
    if not found:
        raise AddressError(_("The file has no addresses."))
    if len(found) > MAX_ADDRESSES:
        raise AddressError(
            _("At most %(n)s addresses in one list.") % {"n": f"{MAX_ADDRESSES:,}"}
        )
    return found


@transaction.atomic
def post(*, actor, about, letters: list[tuple[str, list[str], bytes]]) -> int:
    """Store letters for `about` (a batch), each (code digest, address lines, PDF),
    sealed, and queue them for Notify once the transaction commits."""
    rows = []
    for digest, address, pdf in letters:
        row = Letter.objects.create(
            about=Letter.about_key(about),
            code_digest=digest,
            address="\n".join(address),
            created_by=actor,
        )
        row.sealed_pdf = sealing.seal(pdf, tasks.LETTER_SEAL, row.reference.encode())
        row.save(update_fields=["sealed_pdf"])
        rows.append(row.pk)
    for pk in rows:
        transaction.on_commit(lambda pk=pk: tasks.queue(tasks.post_letter, pk))
    return len(rows)


def letters_for(about):
    return Letter.objects.filter(about=Letter.about_key(about))


@transaction.atomic
def post_codes(*, actor, about, codes, addresses, letter_for) -> int:
    """One letter to each address, each with one of `codes` (posted codes that can
    still be used, in order) that has gone in no letter yet. Refused, posting
    nothing, where there are too few such codes or GOV.UK Notify is not set up."""
    if not gov_notify.enabled():
        raise AddressError(
            _("GOV.UK Notify is not set up for this site, so letters cannot be posted.")
        )
    lettered = Letter.objects.filter(code_digest__in=codes.values("code")).values(
        "code_digest"
    )
    free = list(codes.exclude(code__in=lettered).order_by("pk")[: len(addresses)])
    if len(free) < len(addresses):
        raise AddressError(
            _(
                "The list has %(a)s addresses but this batch has %(c)s codes not yet "
                "posted: issue another batch, or shorten the list."
            )
            % {"a": len(addresses), "c": len(free)}
        )
    return post(
        actor=actor,
        about=about,
        letters=[
            (row.code, address, letter_for(address, row.plain))
            for row, address in zip(free, addresses, strict=False)
        ],
    )
