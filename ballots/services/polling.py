"""A polling point's desk: poll officers' shifts, looking a voter up, handing the
screen over for a private vote (kiosk), and the point's ballot account.

A poll officer learns what a polling-station clerk learns: who is on the register as
having voted (in any channel: the register is one), never what anyone chose. A ballot
given at the point, on screen or on paper, goes through the same sealed buffer and
mixing as every other (ballots/ballot_box.py), under the same one-ballot-per-person
constraint."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ballots import voting_codes
from ballots.models import (
    Channel,
    Cycle,
    Phase,
    PollingPoint,
    PollOfficerShift,
    SpoiltPapers,
    VoterRecord,
)
from ballots.services.casting import eligibility_problems, voter_home
from ballots.validation import VotingError
from civic.audit import audit_record
from civic.models import (
    Place,
    Role,
    RoleKind,
    VerificationMethod,
    normalise_postcode,
)
from civic.selectors import place_by_postcode

# How long a screen handed over to a voter may wait for their ballot.
KIOSK_SECONDS = 10 * 60
KIOSK_SALT = "nb-kiosk"


class DeskError(VotingError):
    """A desk action refused, with the reason in words."""


# Shifts ------------------------------------------------------------------------------


@transaction.atomic
def shift_grant(*, actor, point: PollingPoint, email: str, starts_at, ends_at):
    """Make the person with `email` a poll officer at `point` from `starts_at` to
    `ends_at` (audited)."""
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise DeskError(
            _("Nobody has an account with %(e)s: ask them to join first.")
            % {"e": email.strip()}
        )
    if ends_at <= starts_at:
        raise DeskError(_("A shift ends after it starts."))
    if ends_at <= timezone.now():
        raise DeskError(_("This shift would already be over."))
    shift = PollOfficerShift.objects.create(
        point=point, user=user, starts_at=starts_at, ends_at=ends_at, granted_by=actor
    )
    audit_record(
        actor=actor,
        action="polling.shift",
        target=point,
        place=point.place,
        summary=_("%(u)s is poll officer at %(p)s, %(a)s to %(b)s")
        % {
            "u": user.email,
            "p": point.name,
            "a": timezone.localtime(starts_at).strftime("%d %b %H:%M"),
            "b": timezone.localtime(ends_at).strftime("%d %b %H:%M"),
        },
    )
    return shift


@transaction.atomic
def shift_end(*, actor, shift: PollOfficerShift) -> None:
    """End a shift now, or cancel one not yet started (audited)."""
    now = timezone.now()
    cancelled = shift.starts_at > now
    summary = (
        _("%(u)s's shift at %(p)s was cancelled")
        if cancelled
        else _("%(u)s's shift at %(p)s ended")
    ) % {"u": shift.user.email, "p": shift.point.name}
    if cancelled:
        shift.delete()
    elif shift.ends_at > now:
        shift.ends_at = now
        shift.save(update_fields=["ends_at"])
    audit_record(
        actor=actor,
        action="polling.shift_end",
        target=shift.point,
        place=shift.point.place,
        summary=summary,
    )


# Looking a voter up -------------------------------------------------------------------


@dataclass
class Found:
    user: object
    home: Place | None
    voted: bool
    problems: list[str]


def open_votes(point: PollingPoint) -> list[Cycle]:
    return list(point.cycles.filter(phase=Phase.VOTING).select_related("place"))


def look_up(cycle: Cycle, query: str, limit: int = 20) -> list[Found]:
    """Verified residents of the vote's places matching a name, an email or a
    postcode, each with whether the register shows them as having voted (in any
    channel) and what stops them voting."""
    query = query.strip()
    if len(query) < 2:
        return []
    postcode = normalise_postcode(query)
    users = (
        get_user_model()
        .objects.filter(
            Q(display_name__icontains=query)
            | Q(email__iexact=query)
            | Q(postcode__startswith=postcode),
            pk__in=Role.objects.filter(
                kind=RoleKind.RESIDENT, place__path__startswith=cycle.place.path
            ).values("user"),
        )
        .order_by("display_name", "pk")[:limit]
    )
    users = list(users)
    voted = set(
        VoterRecord.objects.filter(cycle=cycle, user__in=users).values_list(
            "user", flat=True
        )
    )
    return [
        Found(u, voter_home(u, cycle), u.pk in voted, eligibility_problems(u, cycle))
        for u in users
    ]


# A new person, checked at the desk ----------------------------------------------------

# What a poll officer saw that shows where a person lives (kept in the audit log).
EVIDENCE = {
    "document": _l("A document with their name and address (a bill, a council letter)"),
    "letter": _l("Their poll card or voting letter from the council"),
    "known": _l("Vouched for by a verified resident of the same address"),
}


@transaction.atomic
def register_at_desk(
    *,
    officer,
    point: PollingPoint,
    cycle: Cycle,
    name,
    email,
    postcode,
    year_of_birth,
    evidence: str,
):
    """A person not yet on the register, whose residency the poll officer checks at
    the desk: their postcode must lie in the vote's places, the rules must accept a
    check in person, and the officer records what they saw. Makes their account (no
    password: only whoever reads that email can ever sign in with it) and their
    residency, verified in person, in the audit log with the evidence."""
    if VerificationMethod.IN_PERSON not in cycle.rules["verification_methods"]:
        raise DeskError(
            _(
                "The rules for %(p)s do not accept residency checked in person: the "
                "person can join online, or use the code posted to their home."
            )
            % {"p": cycle.place.name}
        )
    if evidence not in EVIDENCE:
        raise DeskError(_("Say what you saw that shows where they live."))
    home = place_by_postcode(postcode)
    if home is None or not home.path.startswith(cycle.place.path):
        raise DeskError(
            _("%(pc)s is not in %(p)s: this vote is for residents of %(p)s only.")
            % {"pc": normalise_postcode(postcode), "p": cycle.place.name}
        )
    users = get_user_model().objects
    if users.filter(email__iexact=email).exists():
        raise DeskError(
            _("Someone already has an account with %(e)s: look them up instead.")
            % {"e": email}
        )
    user = users.create_user(
        email=email,
        password=None,
        display_name=name,
        postcode=normalise_postcode(postcode),
        year_of_birth=year_of_birth,
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Role.objects.create(
        user=user,
        place=home,
        kind=RoleKind.RESIDENT,
        verification_method=VerificationMethod.IN_PERSON,
        granted_by=officer,
    )
    audit_record(
        actor=officer,
        action="polling.register",
        target=point,
        place=home,
        summary=_("Residency of a new person in %(h)s checked at %(p)s")
        % {"h": home.name, "p": point.name},
        data={"evidence": evidence, "user": user.pk},
    )
    return user


# The screen handed over ---------------------------------------------------------------


def kiosk_ticket(
    *, officer, point: PollingPoint, cycle: Cycle, assisted: bool, voter=None, code=""
):
    """A signed ticket that lets one person cast one ballot on this screen, for a few
    minutes: a `voter` looked up at the desk (refused if they may not vote or the
    register shows they have), or the holder of a voting `code` posted to their home
    (checked here; the ticket names its row, never the code)."""
    if cycle.phase != Phase.VOTING:
        raise DeskError(_("Voting is not open in this cycle."))
    if code:
        row = voting_codes.find(code)
        why = voting_codes.problem(row, cycle)
        if why:
            raise DeskError(why)
        who = {"k": row.pk}
    else:
        if VoterRecord.objects.filter(cycle=cycle, user=voter).exists():
            raise DeskError(_("This person has already voted in this cycle."))
        problems = eligibility_problems(voter, cycle)
        if problems:
            raise DeskError(" ".join(problems))
        who = {"v": voter.pk}
    return signing.dumps(
        {"p": point.pk, "c": cycle.pk, "o": officer.pk, "a": bool(assisted), **who},
        salt=KIOSK_SALT,
    )


def _void_key(ticket: str) -> str:
    return "kiosk-void:" + hashlib.sha256(ticket.encode()).hexdigest()


def void_ticket(ticket: str) -> None:
    """The screen went back to the desk without a ballot (two idle minutes): the
    hand-over can no longer be used, from the browser's history or anywhere else."""
    cache.set(_void_key(ticket), True, timeout=KIOSK_SECONDS)


def read_ticket(ticket: str, point: PollingPoint, officer) -> dict:
    """The ticket's content, if it was made at this point by this officer, has not
    expired and was not given up."""
    if cache.get(_void_key(ticket)):
        raise DeskError(
            _("That hand-over ended without a ballot: look the voter up again.")
        )
    try:
        data = signing.loads(ticket, salt=KIOSK_SALT, max_age=KIOSK_SECONDS)
    except signing.SignatureExpired:
        raise DeskError(
            _("The screen was handed over too long ago: look the voter up again.")
        ) from None
    except signing.BadSignature:
        raise DeskError(_("This is not a ballot handed over at this desk.")) from None
    if data["p"] != point.pk or data["o"] != officer.pk:
        raise DeskError(_("This is not a ballot handed over at this desk."))
    return data


# The ballot account -------------------------------------------------------------------


def ballot_account(point: PollingPoint, cycle: Cycle) -> dict:
    """What the point took for the vote: people marked on the register there, ballots
    cast on its screen, paper ballots entered, voters helped, spoilt papers."""
    register = VoterRecord.objects.filter(cycle=cycle, polling_point=point).aggregate(
        marked=Count("id"),
        on_screen=Count("id", filter=Q(channel=Channel.POLLING_POINT)),
        paper=Count("id", filter=Q(channel=Channel.PAPER)),
        assisted=Count("id", filter=Q(assisted=True)),
    )
    spoilt = SpoiltPapers.objects.filter(point=point, cycle=cycle).aggregate(
        n=Sum("number")
    )["n"]
    return {**register, "spoilt": spoilt or 0}


@transaction.atomic
def spoilt_record(*, actor, point: PollingPoint, cycle: Cycle, number: int) -> None:
    if number < 1:
        raise DeskError(_("Record at least one spoilt paper."))
    SpoiltPapers.objects.create(
        point=point, cycle=cycle, number=number, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action="polling.spoilt",
        target=point,
        place=point.place,
        summary=_("%(n)s spoilt papers recorded at %(p)s for %(c)s")
        % {"n": number, "p": point.name, "c": cycle.name},
    )
