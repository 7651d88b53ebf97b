"""Casting: receipts, eligibility, online ballots (signed in or with a voting code), paper ballots and the receipt check. Every ballot is validated against the frozen rules and stored under the one-ballot constraint."""

from __future__ import annotations

import functools
import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots import (
    ballot_box,
    events,
    notifications,
    voters,
    voting_codes,
)
from ballots.models import (
    Ballot,
    Channel,
    Cycle,
    Phase,
    VoterRecord,
)
from ballots.validation import BallotInvalid, SectionSpec, VotingError, clean_ballot
from civic.audit import audit_record
from civic.models import Place
from forums.models import VerificationCode
from forums.services import ForumError, residency_codes

RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_receipt() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalise_receipt(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def receipt_hash(code: str) -> str:
    return hashlib.sha256(normalise_receipt(code).encode()).hexdigest()


def replace_hash(code: str) -> str:
    return hashlib.sha256((normalise_receipt(code) + ":replace").encode()).hexdigest()


# Eligibility and casting -------------------------------------------------------------


def voter_home(user, cycle: Cycle) -> Place | None:
    """The deepest place inside or above the cycle's place where the user is a resident
    (kept between requests: ballots/voters.py)."""
    return voters.facts(user, cycle)[1]


def eligibility_problems(user, cycle: Cycle, *, supporting: bool = False) -> list[str]:
    """Why `user` may not vote in `cycle` (empty: they may); `supporting`: the same
    test for supporting its proposals (ballots/services/supports.py), in those words."""
    rules = cycle.rules
    problems = []
    if not user.is_authenticated:
        return [
            _("Sign in to support proposals.") if supporting else _("Sign in to vote.")
        ]
    if not voters.facts(user, cycle)[0]:
        problems.append(_("Confirm your email address first."))
    if rules["residency_required"] and voter_home(user, cycle) is None:
        homes = sorted(
            {
                role.place.name
                for role in user.roles.filter(kind="resident").select_related("place")
            }
        )
        if homes:
            problems.append(
                _(
                    "This vote is for residents of %(p)s; you are a verified resident "
                    "of %(h)s."
                )
                % {"p": cycle.place.name, "h": ", ".join(homes)}
            )
        else:
            problems.append(
                (
                    _(
                        "Only verified residents of %(p)s can support its proposals. "
                        "Join your neighbourhood forum first."
                    )
                    if supporting
                    else _(
                        "Only verified residents of %(p)s can vote. Join your "
                        "neighbourhood forum first."
                    )
                )
                % {"p": cycle.place.name}
            )
    min_age = rules["min_age"]
    if min_age:
        if not user.year_of_birth:
            problems.append(
                _(
                    "Add your year of birth to your profile: voters must be %(n)s or over."
                )
                % {"n": min_age}
            )
        elif timezone.localdate().year - user.year_of_birth < min_age:
            problems.append(
                _("Voters in this cycle must be %(n)s or over.") % {"n": min_age}
            )
    return problems


def allowed_sections(cycle: Cycle, home: Place | None) -> tuple[set[int], int | None]:
    """Which sections a voter may fill, and at most how many (the voting scope rule)."""
    sections = list(cycle.sections.select_related("place"))
    if len(sections) == 1:
        return {sections[0].pk}, 1
    scope = cycle.rules["voting_scope"]
    own = {
        s.pk
        for s in sections
        if home is not None and home.path.startswith(s.place.path)
    }
    if scope == "all":
        return {s.pk for s in sections}, None
    if scope == "own_plus_one":
        return {s.pk for s in sections}, len(own) + 1
    return own, len(own)


def section_specs(cycle: Cycle) -> dict[int, SectionSpec]:
    specs = {}
    for section in cycle.sections.select_related("place").prefetch_related("projects"):
        specs[section.pk] = SectionSpec(
            section.pk,
            section.place.name,
            section.budget_pence,
            {p.code: p.cost_pence for p in section.projects.all()},
        )
    return specs


def _age_band(user) -> str:
    if not user or not user.year_of_birth:
        return ""
    age = timezone.localdate().year - user.year_of_birth
    for low, high in ((16, 24), (25, 34), (35, 49), (50, 64)):
        if low <= age <= high:
            return f"{low}-{high}"
    return "65+" if age >= 65 else "under 16"


def _store(
    cycle: Cycle, clean: dict, record: VoterRecord | None, **record_fields
) -> str:
    receipt = new_receipt()
    if record is None:
        # No savepoint: a conflict aborts the whole transaction, which the caller's
        # atomic block rolls back (the register row is the transaction's first write).
        try:
            VoterRecord.objects.create(
                cycle=cycle, replace_hash=replace_hash(receipt), **record_fields
            )
        except IntegrityError:
            raise AlreadyRecorded(
                _("A ballot has already been recorded for this voter in this cycle.")
            ) from None
    else:
        record.replace_hash = replace_hash(receipt)
        record.voted_at = timezone.now()
        record.save(update_fields=["replace_hash", "voted_at"])
    # Sealed, into the mixing buffer: the box is written by another transaction.
    ballot_box.drop(cycle.pk, clean, receipt_hash(receipt))
    # Turnout moved, and a full batch may be waiting: the coalesced live update
    # mixes it into the box before it counts (live.flush), away from this request.
    events.announce(events.ballots_cast, cycle_id=cycle.pk)
    return receipt


@functools.lru_cache(maxsize=64)
def frozen_ballot(cycle_id: int, created_at) -> tuple[dict, dict[int, SectionSpec]]:
    """The rules and ballot of a cycle open for voting: both are frozen when voting
    opens, so each server process reads them once per open cycle (the 64 most recent;
    `created_at` tells a cycle restored under a used id from the one before)."""
    cycle = Cycle.objects.select_related("place").get(pk=cycle_id)
    return cycle.rules, section_specs(cycle)


def _frozen(cycle: Cycle) -> tuple[dict, dict[int, SectionSpec]]:
    if cycle.phase != Phase.VOTING:
        return cycle.rules, section_specs(cycle)
    return frozen_ballot(cycle.pk, cycle.created_at)


def _checked(cycle: Cycle, home: Place | None, choices: dict) -> dict:
    """The ballot as stored, once every rule of the cycle has passed for a voter whose
    home is `home` (which budgets they may fill); BallotInvalid naming each broken one."""
    rules, specs = _frozen(cycle)
    if len(specs) == 1:
        allowed, max_sections = set(specs), 1
    else:
        allowed, max_sections = allowed_sections(cycle, home)
    return clean_ballot(
        rules["ballot_method"], rules, specs, allowed, choices, max_sections
    )


class AlreadyRecorded(VotingError):
    """The register already holds a ballot for this voter in this cycle."""


def ballot_cast(*, user, cycle: Cycle, choices: dict, receipt: str = "") -> str:
    """Validate and store an online ballot; returns the new receipt code.

    `cycle` is as the caller read it in this request (the views read it a moment
    before), so the phase is not read twice. A first ballot (no receipt) is inserted
    straight away; if the register already holds one for the voter (the unique
    constraint decides between simultaneous submissions), that transaction is rolled
    back whole and the ballot takes the replacement path in a new one."""
    if not receipt:
        try:
            return _cast(user=user, cycle=cycle, choices=choices, receipt="")
        except AlreadyRecorded:
            pass
    return _cast(user=user, cycle=cycle, choices=choices, receipt=receipt, again=True)


@transaction.atomic
def ballot_cast_with_code(*, cycle: Cycle, code: str, choices: dict) -> str:
    """Validate and store an online ballot cast with a posted voting code (no account);
    returns the receipt code. The code is spent in the same transaction: a second
    ballot with it, online or on paper, is refused. A code's ballot is not replaced."""
    cycle = Cycle.objects.select_related("place").get(pk=cycle.pk)
    if cycle.phase != Phase.VOTING:
        raise BallotInvalid([_("Voting is not open in this cycle.")])
    row = voting_codes.redeem(cycle, code)
    clean = _checked(cycle, row.batch.place, choices)
    return _store(
        cycle,
        clean,
        None,
        voting_code=row,
        channel=Channel.ONLINE,
        neighbourhood=row.batch.place,
    )


@transaction.atomic
def _cast(*, user, cycle: Cycle, choices: dict, receipt: str, again=False) -> str:
    code = _cast_or_replace(user, cycle, choices, receipt, again)
    transaction.on_commit(lambda: notifications.receipt(user, cycle, code))
    return code


def _cast_or_replace(user, cycle: Cycle, choices: dict, receipt: str, again) -> str:
    if cycle.phase != Phase.VOTING:
        raise BallotInvalid([_("Voting is not open in this cycle.")])
    problems = eligibility_problems(user, cycle)
    if problems:
        raise BallotInvalid(problems)
    rules = _frozen(cycle)[0]
    home = voter_home(user, cycle)
    clean = _checked(cycle, home, choices)
    fields = {
        "user": user,
        "channel": Channel.ONLINE,
        "age_band": _age_band(user),
        "neighbourhood": home,
    }
    if not again:
        return _store(cycle, clean, None, **fields)  # the common case: a first ballot
    record = (
        VoterRecord.objects.select_for_update().filter(cycle=cycle, user=user).first()
    )
    if record is None:
        return _store(cycle, clean, None, **fields)
    if not rules["allow_replacement"]:
        raise VotingError(
            _(
                "You have already voted, and the rules of this cycle do not allow changing a vote."
            )
        )
    if record.channel == Channel.PAPER:
        raise VotingError(
            _("A paper ballot has been recorded for you; it cannot be replaced online.")
        )
    if not receipt or record.replace_hash != replace_hash(receipt):
        raise VotingError(
            _(
                "You have already voted. To change your vote, enter the receipt code you were given."
            )
        )
    boxed = Ballot.objects.filter(cycle=cycle, receipt_hash=receipt_hash(receipt))
    earlier = boxed.values_list("choices", flat=True).first()
    deleted, _n = boxed.delete()
    if deleted:
        ballot_box.count_in(cycle.pk, [earlier], -1)
    if not deleted:
        waiting = ballot_box.find_waiting(cycle.pk, receipt_hash(receipt))
        if waiting is not None:
            deleted, _n = waiting[0].delete()
    if not deleted:
        raise VotingError(
            _("Your earlier ballot could not be found; it has not been replaced.")
        )
    return _store(cycle, clean, record, **fields)


@transaction.atomic
def paper_ballot_enter(
    *,
    actor,
    cycle: Cycle,
    choices: dict,
    voter=None,
    code: str = "",
    voting_code_id: int | None = None,
    polling_point=None,
    on_screen: bool = False,
    assisted: bool = False,
) -> str:
    """An organiser keys in a paper ballot: same rules, same one-ballot constraint.
    At a polling point (`polling_point`), its poll officer enters a paper ballot from
    the box the same way, or (`on_screen`) the voter casts it on the point's screen
    after the officer handed it over (ballots/services/polling.py; a posted voting
    code checked at the desk comes as `voting_code_id`); `assisted`: the
    voter asked for help, which the register records (never what they chose)."""
    cycle = Cycle.objects.select_related("place").get(pk=cycle.pk)
    if cycle.phase != Phase.VOTING:
        raise BallotInvalid([_("Voting is not open in this cycle.")])
    if (voter is None) == (not code and voting_code_id is None):
        raise BallotInvalid(
            [
                _(
                    "Identify the voter: a verified member or a verification code, not both."
                )
            ]
        )
    record_fields = {
        "channel": Channel.POLLING_POINT if on_screen else Channel.PAPER,
        "entered_by": actor,
        "polling_point": polling_point,
        "assisted": assisted,
    }
    if code:
        posted = voting_codes.identify(code)
    else:  # a posted voting code checked at a polling point's desk (by its row)
        posted = voting_codes.find_by_id(voting_code_id) if voting_code_id else None
    if voter is not None:
        problems = eligibility_problems(voter, cycle)
        if problems:
            raise BallotInvalid(problems)
        home = voter_home(voter, cycle)
        if VoterRecord.objects.filter(cycle=cycle, user=voter).exists():
            raise VotingError(_("This person has already voted in this cycle."))
        record_fields.update(user=voter, age_band=_age_band(voter), neighbourhood=home)
    elif isinstance(posted, VerificationCode):
        forum = posted.batch.forum
        if not forum.place.path.startswith(cycle.place.path):
            raise BallotInvalid(
                [_("That code belongs to a neighbourhood outside this vote.")]
            )
        try:
            residency_codes.spend(
                posted, forum=forum, user=None, used_for="paper ballot"
            )
        except ForumError as error:
            raise BallotInvalid([error.message]) from None
        home = forum.place
        record_fields.update(verification_code=posted, neighbourhood=home)
    else:  # a voting code, or none: `spend` says why it cannot vote
        home = voting_codes.spend(posted, cycle).batch.place
        record_fields.update(voting_code=posted, neighbourhood=home)
    receipt = _store(cycle, _checked(cycle, home, choices), None, **record_fields)
    audit_record(
        actor=actor,
        action="ballot.point" if on_screen else "ballot.paper",
        target=cycle,
        place=cycle.place,
        summary=(
            _("Ballot cast on screen at %(p)s for %(c)s")
            if on_screen
            else _("Paper ballot entered for %(c)s")
        )
        % {"c": cycle.name, "p": polling_point.name if polling_point else ""},
    )
    return receipt


def receipt_check(cycle: Cycle, code: str) -> Ballot | None:
    """The ballot a receipt belongs to: in the box, or still waiting to be mixed in."""
    digest = receipt_hash(code)
    ballot = Ballot.objects.filter(cycle=cycle, receipt_hash=digest).first()
    if ballot is None:
        waiting = ballot_box.find_waiting(cycle.pk, digest)
        if waiting is not None:
            ballot = Ballot(cycle=cycle, **waiting[1])
    return ballot
