"""Voting codes: a resident without an account votes once with a code posted to them.

An officer generates a batch of codes for one cycle and one place (where the letters
go: it decides which budgets the ballot shows). Each code casts one ballot, online
(`ballot_cast_with_code`) or on paper (`paper_ballot_enter` with the code); the voter
register records that the code voted, never what. A code can be revoked until it is
used (a lost letter, a returned envelope). Codes are allowed only where the cycle's
rules accept "verification code posted to the household".
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import letters as civic_letters
from civic.audit import audit_record
from civic.models import Place
from forums.models import VerificationCode, new_code
from forums.services import residency_codes

from .models import Cycle, Phase, VotingCode, VotingCodeBatch
from .validation import BallotInvalid, VotingError

MAX_BATCH = 5000
CLOSED = (Phase.COUNTING, Phase.RESULTS, Phase.DELIVERY)


def places_for(cycle: Cycle):
    """The places a batch may be posted to: the cycle's place and everything inside."""
    return Place.objects.filter(path__startswith=cycle.place.path).order_by("path")


@transaction.atomic
def generate(
    *, actor, cycle: Cycle, place: Place, count: int, note: str = ""
) -> VotingCodeBatch:
    if not cycle.accepts_voting_codes:
        raise VotingError(
            _(
                "The rules of this cycle do not accept posted codes as proof of residence, "
                "so voting codes cannot be issued. Change the verification methods first."
            )
        )
    if cycle.phase in CLOSED or cycle.archived:
        raise VotingError(_("Voting has closed in this cycle: no new codes."))
    if not place.path.startswith(cycle.place.path):
        raise VotingError(
            _("%(p)s is not inside %(c)s.") % {"p": place.name, "c": cycle.place.name}
        )
    if not 1 <= count <= MAX_BATCH:
        raise VotingError(_("Generate between 1 and 5,000 codes at a time."))
    batch = VotingCodeBatch.objects.create(
        cycle=cycle, place=place, created_by=actor, note=note[:200]
    )
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(new_code())
    VotingCode.objects.bulk_create(VotingCode.issued(c, batch=batch) for c in codes)
    audit_record(
        actor=actor,
        action="voting_codes.generate",
        target=batch,
        place=cycle.place,
        summary=_("%(n)s voting codes generated for %(p)s in %(c)s")
        % {"n": count, "p": place.name, "c": cycle.name},
    )
    return batch


@transaction.atomic
def revoke(*, actor, cycle: Cycle, code: str) -> VotingCode:
    row = (
        VotingCode.objects.select_for_update()
        .filter(batch__cycle=cycle, code__in=VotingCode.digests(code))
        .first()
    )
    if row is None:
        raise VotingError(_("No voting code of this cycle matches that."))
    if row.used_at is not None:
        raise VotingError(
            _("That code has already voted; a cast ballot cannot be withdrawn.")
        )
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="voting_codes.revoke",
            target=row.batch,
            place=cycle.place,
            summary=_("Voting code %(c)s revoked") % {"c": row.plain},
        )
    return row


@transaction.atomic
def revoke_batch(*, actor, batch: VotingCodeBatch) -> int:
    """Revoke every code of the batch that has not voted; returns how many."""
    n = batch.codes.filter(used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="voting_codes.revoke",
        target=batch,
        place=batch.cycle.place,
        summary=_("%(n)s unused voting codes revoked") % {"n": n},
    )
    return n


def problem(row: VotingCode | None, cycle: Cycle) -> str:
    """Why this code cannot vote in this cycle, or "" if it can."""
    if row is None:
        return _("That code was not recognised. Check it against your letter.")
    if row.batch.cycle_id != cycle.pk:
        return _("That code is for a different vote.")
    if row.revoked_at is not None:
        return _(
            "That code has been cancelled. Ask the council for a new one if you have not voted."
        )
    if row.used_at is not None:
        return _("That code has already been used to vote. Each code votes once.")
    return ""


def find(code: str, *, lock: bool = False) -> VotingCode | None:
    """The voting code (any cycle's), locked for the caller's transaction if asked."""
    rows = VotingCode.objects.select_related("batch__place")
    if lock:
        rows = rows.select_for_update(of=("self",))
    return rows.filter(code__in=VotingCode.digests(code)).first()


def check(cycle: Cycle, code: str) -> VotingCode:
    """The code, if it can vote in this cycle now; BallotInvalid saying why not."""
    if cycle.phase != Phase.VOTING:
        raise BallotInvalid([_("Voting is not open in this cycle.")])
    row = find(code)
    why = problem(row, cycle)
    if why:
        raise BallotInvalid([why])
    return row


def spend(row: VotingCode | None, cycle: Cycle) -> VotingCode:
    """Mark a code found with `lock=True` used (inside the casting transaction), or
    BallotInvalid saying why it cannot vote: a second cast with the same code, online
    or on paper, waits for the lock and then finds it used."""
    why = problem(row, cycle)
    if why:
        raise BallotInvalid([why])
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    return row


def find_by_id(pk: int) -> VotingCode | None:
    """A voting code already checked at a polling point's desk, by its row, locked
    for the caller's transaction (the code itself is never carried in a page)."""
    rows = VotingCode.objects.select_related("batch__place")
    return rows.select_for_update(of=("self",)).filter(pk=pk).first()


def identify(code: str) -> VotingCode | VerificationCode | None:
    """Which posted code `code` is, locked for the caller's transaction: a voting code
    (it votes without an account) or a residency code (forums/residency_codes.py: it
    proves residency), or None. Paper entry asks this, once."""
    return find(code, lock=True) or residency_codes.find(code, lock=True)


def redeem(cycle: Cycle, code: str) -> VotingCode:
    return spend(find(code, lock=True), cycle)


@transaction.atomic
def post_letters(*, actor, batch: VotingCodeBatch, addresses, letter_for) -> int:
    """The batch's codes that can still vote, posted as letters through GOV.UK
    Notify, one to each address (civic/letters.py)."""
    n = civic_letters.post_codes(
        actor=actor,
        about=batch,
        codes=batch.codes.filter(used_at__isnull=True, revoked_at__isnull=True),
        addresses=addresses,
        letter_for=letter_for,
    )
    audit_record(
        actor=actor,
        action="voting_codes.letters",
        target=batch,
        place=batch.cycle.place,
        summary=_("%(n)s voting-code letters sent to GOV.UK Notify") % {"n": n},
    )
    return n
