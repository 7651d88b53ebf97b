"""Participatory budgeting cycles, the secret ballot and its results.

Secrecy by design: who voted (VoterRecord: voter, cycle, channel, time) and what was
voted (Ballot: random id, choices, receipt hash, no timestamp) are separate tables with
no key between them. Only the voter's receipt code, which the server never stores,
connects the two (see README, "The secret ballot").
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from civic.models import Budget, Place, VerificationMethod
from forums.models import new_code


class Phase(models.TextChoices):
    IDEAS = "ideas", _("Collecting ideas")
    REVIEW = "review", _("Reviewing ideas")
    SHORTLIST = "shortlist", _("Shortlisting")
    VOTING = "voting", _("Voting open")
    COUNTING = "counting", _("Counting")
    RESULTS = "results", _("Results published")
    DELIVERY = "delivery", _("Delivering projects")


PHASE_ORDER = [p.value for p in Phase]


class Cycle(ClusterableModel):
    """One participatory budgeting round for a place: phases, ballot, frozen rules, result."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="cycles")
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(max_length=160, unique=True)
    description = models.TextField(_("description"), blank=True)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.IDEAS)
    # When each phase starts; the phase moves forward by date, or an officer moves it.
    ideas_start = models.DateTimeField(null=True, blank=True)
    review_start = models.DateTimeField(null=True, blank=True)
    shortlist_start = models.DateTimeField(null=True, blank=True)
    voting_start = models.DateTimeField(null=True, blank=True)
    counting_start = models.DateTimeField(null=True, blank=True)
    results_start = models.DateTimeField(null=True, blank=True)
    delivery_start = models.DateTimeField(null=True, blank=True)
    frozen_rules = models.JSONField(
        null=True,
        blank=True,
        help_text="The effective framework rules at the moment voting opened.",
    )
    archived = models.BooleanField(
        default=False,
        help_text="An imported historical election, shown for browsing and recount.",
    )
    box_mixed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When ballots were last mixed into the box (live-results batches).",
    )
    electorate = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Eligible voters when voting opened (for turnout).",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("ballots:cycle", kwargs={"slug": self.slug})

    def phase_start(self, phase: str):
        return getattr(self, f"{phase}_start")

    @property
    def voting_open(self) -> bool:
        return self.phase == Phase.VOTING

    @property
    def rules(self) -> dict:
        """The frozen rules once voting opened; until then, today's effective rules."""
        if self.frozen_rules is not None:
            return self.frozen_rules
        from civic.framework import resolve_rules

        return resolve_rules(self.place).as_dict()

    @property
    def accepts_voting_codes(self) -> bool:
        """Whether posted voting codes may vote: the rules accept a code posted to the
        household as proof of residence."""
        return VerificationMethod.CODE in (self.rules.get("verification_methods") or [])


class Section(models.Model):
    """One budget on a cycle's ballot. A district cycle may hold several neighbourhoods'."""

    panels = ["place", "budget", "budget_pence", "position"]

    cycle = ParentalKey(Cycle, on_delete=models.CASCADE, related_name="sections")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    budget = models.ForeignKey(
        Budget, on_delete=models.PROTECT, related_name="sections", null=True, blank=True
    )
    budget_pence = models.BigIntegerField(
        help_text="The amount this ballot decides, fixed when the section was set up."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["cycle", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "place"], name="one_section_per_place"
            ),
            models.CheckConstraint(
                condition=Q(budget_pence__gte=0), name="section_budget_non_negative"
            ),
        ]

    def __str__(self):
        return f"{self.cycle}: {self.place}"


class CycleProject(models.Model):
    """A shortlisted proposal on the ballot, with its cost and category as voted on."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="projects"
    )
    proposal = models.ForeignKey(
        "forums.Proposal",
        on_delete=models.PROTECT,
        related_name="ballot_entries",
        null=True,
        blank=True,
    )
    code = models.CharField(
        max_length=40, help_text="Project id in exports (Pabulib project_id)."
    )
    title = models.CharField(max_length=200)
    cost_pence = models.BigIntegerField()
    category_slug = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["section", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "code"], name="project_code_unique_in_section"
            ),
            models.CheckConstraint(
                condition=Q(cost_pence__gte=0), name="cycle_project_cost_non_negative"
            ),
        ]

    def __str__(self):
        return self.title


class PhaseChange(models.Model):
    """A logged phase change: by date (no actor) or by an officer."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="phase_changes"
    )
    from_phase = models.CharField(max_length=20, choices=Phase.choices)
    to_phase = models.CharField(max_length=20, choices=Phase.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.cycle}: {self.from_phase} → {self.to_phase}"


class VotingCodeBatch(models.Model):
    """Voting codes an officer printed for one cycle and one place: each lets one
    resident without an account cast one ballot, online or on paper."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="code_batches"
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("where the letters go"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Voting codes for {self.place} in {self.cycle}"


class VotingCode(models.Model):
    """One posted voting code. Used once (online or paper), or revoked."""

    batch = models.ForeignKey(
        VotingCodeBatch, on_delete=models.CASCADE, related_name="codes"
    )
    code = models.CharField(max_length=11, unique=True, default=new_code)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.code


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper or in person")


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
    age_band = models.CharField(max_length=10, blank=True)
    neighbourhood = models.ForeignKey(
        Place, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["cycle", "voted_at"]
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


class Tally(models.Model):
    """A section's counted result, computed with the frozen rules and stored."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="tallies"
    )
    rule = models.CharField(max_length=30)
    utility = models.CharField(max_length=30)
    result = models.JSONField()
    ballots_counted = models.PositiveIntegerField()
    computed_at = models.DateTimeField(default=timezone.now)
    published = models.BooleanField(default=False)
    export_sha256 = models.CharField(max_length=64, blank=True)
    # The recount of this tally's own published export, made once in the background
    # when it is published (the ballots behind it never change): what it selected and
    # spent, whether the file matched export_sha256, under which rules, and when.
    recount = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-computed_at"]
        verbose_name_plural = "tallies"

    def __str__(self):
        return f"Tally of {self.section} ({self.rule})"


class BallotExport(models.Model):
    """A budget's anonymised ballots as published files (.pb and .csv), built in the
    background and kept (ballots/exports.py): a download never reads the box. `key`
    says what the files were made from; when it no longer matches they are rebuilt."""

    section = models.OneToOneField(
        Section, on_delete=models.CASCADE, related_name="export"
    )
    key = models.CharField(max_length=64)
    pb = models.TextField()
    csv = models.TextField()
    sha256 = models.CharField(max_length=64)
    built_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Export of {self.section}"
