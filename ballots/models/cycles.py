"""Cycles, their phases and phase changes, and what is on their ballots (sections and projects)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from civic.framework import resolve_rules, with_defaults
from civic.models import Budget, Place, VerificationMethod
from civic.money import PenceField


class Phase(models.TextChoices):
    IDEAS = "ideas", _("Collecting ideas")
    REVIEW = "review", _("Reviewing ideas")
    SUPPORTS = "supports", _("Supporting proposals")
    SHORTLIST = "shortlist", _("Shortlisting")
    VOTING = "voting", _("Voting open")
    COUNTING = "counting", _("Counting")
    RESULTS = "results", _("Results published")
    DELIVERY = "delivery", _("Delivering projects")


PHASE_ORDER = [p.value for p in Phase]
# The phases before a vote opens, in which its ballot is still being drawn up.
BEFORE_VOTING = [Phase.IDEAS, Phase.REVIEW, Phase.SUPPORTS, Phase.SHORTLIST]


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
    supports_start = models.DateTimeField(null=True, blank=True)
    shortlist_start = models.DateTimeField(null=True, blank=True)
    voting_start = models.DateTimeField(null=True, blank=True)
    counting_start = models.DateTimeField(null=True, blank=True)
    results_start = models.DateTimeField(null=True, blank=True)
    delivery_start = models.DateTimeField(null=True, blank=True)
    # When the "voting opens tomorrow" texts went (ballots.tasks.voting_reminders).
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
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
    currency = models.CharField(
        max_length=3,
        default="GBP",
        help_text="ISO 4217: amounts are kept in its hundredths (an import keeps its own).",
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

    def voting_opened_on(self) -> datetime.date:
        """The day voting opened (as logged; else as planned; else the day the cycle
        was made): the day whose boundaries its maps keep."""
        opened = (
            self.phase_changes.filter(to_phase=Phase.VOTING)
            .values_list("created_at", flat=True)
            .first()
        )
        return timezone.localdate(opened or self.voting_start or self.created_at)

    # Its results (and the ballot files behind them) are public: as a filter, and
    # for one cycle.
    RESULTS_PUBLIC = Q(phase__in=[Phase.RESULTS, Phase.DELIVERY]) | Q(archived=True)

    @property
    def results_published(self) -> bool:
        return self.phase in (Phase.RESULTS, Phase.DELIVERY) or self.archived

    @property
    def voting_open(self) -> bool:
        return self.phase == Phase.VOTING

    @property
    def rules(self) -> dict:
        """The frozen rules once voting opened; until then, today's effective rules."""
        if self.frozen_rules is not None:
            return with_defaults(self.frozen_rules)
        return resolve_rules(self.place).as_dict()

    @property
    def accepts_voting_codes(self) -> bool:
        """Whether posted voting codes may vote: the rules accept a code posted to the
        household as proof of residence."""
        return VerificationMethod.CODE in self.rules["verification_methods"]


class Section(models.Model):
    """One budget on a cycle's ballot. A district cycle may hold several neighbourhoods'."""

    panels = ["place", "budget", "budget_pence", "position"]

    cycle = ParentalKey(Cycle, on_delete=models.CASCADE, related_name="sections")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    budget = models.ForeignKey(
        Budget, on_delete=models.PROTECT, related_name="sections", null=True, blank=True
    )
    budget_pence = PenceField(
        _("budget"),
        help_text="The amount this ballot decides, fixed when the section was set up.",
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
    # Why, for a repair (re-opening a vote closed by mistake): shown on the timeline.
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.cycle}: {self.from_phase} → {self.to_phase}"


class FenceWaiver(models.Model):
    """An officer's recorded acceptance, before voting opened, that a budget's
    ring-fence cannot be met by the projects on its ballot: what was short, why it was
    accepted and by whom. Shown on the cycle's results page."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="fence_waivers"
    )
    category_slug = models.CharField(max_length=80)
    minimum_pence = models.BigIntegerField()
    available_pence = models.BigIntegerField()
    reason = models.TextField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["section", "category_slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "category_slug"], name="one_waiver_per_fence"
            )
        ]

    def __str__(self):
        return f"{self.section}: {self.category_slug}"
