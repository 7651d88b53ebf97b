"""The ballot box. Secrecy by design: who voted (VoterRecord: voter, cycle, channel,
time) and what was voted (Ballot: random id, choices, receipt hash, no timestamp) are
separate tables with no key between them; ballots wait sealed (SealedBallot) until a
batch is mixed, and BoxCount keeps the count without reading the box."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.models import Place

from .codes import VotingCode
from .cycles import Cycle


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper or in person")
    # On the screen at a polling point, handed over by its poll officer (kiosk).
    POLLING_POINT = "point", _("On screen at a polling point")


class VoterRecord(models.Model):
    """The voter register: that someone voted in a cycle, how, and when. Never what."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="voter_records"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="voter_records",
    )
    verification_code = models.OneToOneField(
        "forums.VerificationCode",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="voter_record",
    )
    voting_code = models.OneToOneField(
        VotingCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voter_record",
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    voted_at = models.DateTimeField(default=timezone.now)
    # sha256(receipt + ":replace"): lets the holder of the receipt replace their ballot,
    # and cannot be matched to the ballot's sha256(receipt) without the receipt itself.
    replace_hash = models.CharField(max_length=64, blank=True)
    erased = models.BooleanField(
        default=False,
        help_text="The voter deleted their account; the record still counts.",
    )
    # Where a ballot was given in person (kiosk or paper from its box), and whether
    # the voter asked for help: never what they chose.
    polling_point = models.ForeignKey(
        "ballots.PollingPoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="register",
    )
    assisted = models.BooleanField(default=False)
    age_band = models.CharField(max_length=10, blank=True)
    neighbourhood = models.ForeignKey(
        Place, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["cycle", "voted_at"]
        # The turnout by channel, read on every live update, from the index alone.
        indexes = [
            models.Index(fields=["cycle", "channel"], name="register_by_channel")
        ]
        constraints = [
            # One ballot per voter per cycle, whatever the channel: enforced here, not only
            # by a check in code, so simultaneous submissions store exactly one.
            models.UniqueConstraint(
                fields=["cycle", "user"], name="one_vote_per_person_per_cycle"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False)
                | Q(verification_code__isnull=False)
                | Q(voting_code__isnull=False)
                | Q(erased=True),
                name="voter_record_identifies_voter",
            ),
        ]

    def __str__(self):
        return f"Voted in {self.cycle} ({self.channel})"


class Ballot(models.Model):
    """A secret ballot: random id, choices per section, the hash of its receipt. No
    voter, no timestamp."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="ballots")
    choices = models.JSONField(
        help_text='{"<section id>": [codes] | {code: points} | [ranked codes]}'
    )
    receipt_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]  # random: never the order of casting
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "receipt_hash"], name="one_ballot_per_receipt"
            )
        ]

    def __str__(self):
        return f"Ballot {self.id}"


class BoxCount(models.Model):
    """The box counted as it fills: how many of a cycle's ballots hold each distinct
    choice for a section. Written with the box (`ballot_box`), in the same transaction,
    so live results read a few hundred rows instead of every ballot. It says what the
    box itself says, grouped, and nothing more."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="box_counts"
    )
    section_id = models.PositiveBigIntegerField()
    choice = models.TextField(help_text="The section's choice, as canonical JSON")
    ballots = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "section_id", "choice"], name="one_count_per_choice"
            )
        ]

    def __str__(self):
        return f"{self.ballots} × {self.choice}"


class SealedBallot(models.Model):
    """A cast ballot waiting in the mixing buffer, encrypted with a key held outside the
    database (see ballots/ballot_box.py). No voter, no timestamp, nothing readable."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="sealed_ballots"
    )
    sealed = models.BinaryField()

    def __str__(self):
        return f"Sealed ballot {self.id}"
