"""Decisions and delivery: what councillors decided on a cycle, and how funded
projects are delivered, paid for and who benefits."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.models import Contribution, Place, PublicBody, User


class DecisionKind(models.TextChoices):
    APPROVE_FUNDED = "approve_funded", _("Approve the funded list")
    FUND_OUTSIDE_VOTE = "fund_outside_vote", _("Fund a proposal outside the vote")
    DEFER = "defer", _("Defer")
    AMEND = "amend", _("Correct an earlier decision")
    OTHER = "other", _("Other")


class Decision(models.Model):
    """A councillors' formal decision on a cycle, published as a public notice.
    Once published it never changes: corrections are new decisions that amend it."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="decisions")
    cycle = models.ForeignKey(
        "ballots.Cycle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DecisionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("decision"))
    reasons = models.TextField(_("reasons"))
    conflicts = models.TextField(_("conflicts of interest declared"), blank=True)
    decided_on = models.DateField(_("date of decision"))
    proposals = models.ManyToManyField(
        "forums.Proposal",
        blank=True,
        related_name="decisions",
        verbose_name=_("proposals"),
    )
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amended_by",
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    reference = models.CharField(max_length=30, blank=True, unique=False)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return f"{self.reference or 'Draft'}: {self.title}"

    def save(self, *args, **kwargs):
        if (
            self.pk
            and Decision.objects.filter(pk=self.pk, published_at__isnull=False).exists()
        ):
            raise ValidationError(
                _("A published decision cannot be changed; record an amendment.")
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("accountability:decision", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class VoteChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstained")


class DecisionVote(models.Model):
    """How one councillor voted on a decision, with any interest they declared."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="votes"
    )
    councillor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    vote = models.CharField(max_length=10, choices=VoteChoice.choices)
    interest_declared = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "councillor"], name="one_vote_per_councillor"
            )
        ]

    def __str__(self):
        return f"{self.councillor} {self.vote}"


class Milestone(models.Model):
    """A step in delivering a funded project: planned and actual dates, progress, news."""

    proposal = models.ForeignKey(
        "forums.Proposal", on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=200)
    planned_date = models.DateField(_("planned date"))
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    percent_done = models.PositiveSmallIntegerField(_("percentage done"), default=0)
    update = models.TextField(_("update"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="milestones/%Y/%m/", blank=True)
    posted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    posted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["planned_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_done__lte=100), name="milestone_percent_range"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_late(self) -> bool:
        return self.actual_date is None and self.planned_date < timezone.localdate()


class FundingAttribution(models.Model):
    """Which body's contribution paid how much towards a funded project."""

    proposal = models.ForeignKey(
        "forums.Proposal", on_delete=models.CASCADE, related_name="funding"
    )
    contribution = models.ForeignKey(
        Contribution, on_delete=models.PROTECT, related_name="attributions"
    )
    amount_pence = models.BigIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_pence__gt=0), name="attribution_positive"
            ),
            models.UniqueConstraint(
                fields=["proposal", "contribution"], name="one_attribution_per_pair"
            ),
        ]

    def __str__(self):
        return f"{self.contribution.body}: {self.amount_pence}p to {self.proposal_id}"


class ExpectedBenefit(models.Model):
    """A body expected to benefit from a project (e.g. less demand on the NHS)."""

    proposal = models.ForeignKey(
        "forums.Proposal", on_delete=models.CASCADE, related_name="benefits"
    )
    body = models.ForeignKey(
        PublicBody, on_delete=models.PROTECT, related_name="benefits"
    )
    note = models.CharField(_("how it benefits"), max_length=500)
    estimated_value_pence = models.BigIntegerField(
        _("estimated value (pence)"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_value_pence__isnull=True)
                | Q(estimated_value_pence__gte=0),
                name="benefit_value_non_negative",
            )
        ]

    def __str__(self):
        return f"{self.body} benefits from {self.proposal_id}"


class GrantRecipient(models.Model):
    """The community organisation a funded project's money is granted to (published as
    a 360Giving grant). A project the council delivers itself has none."""

    proposal = models.OneToOneField(
        "forums.Proposal", on_delete=models.CASCADE, related_name="grant_recipient"
    )
    name = models.CharField(_("organisation name"), max_length=200)
    charity_number = models.CharField(
        _("registered charity number"), max_length=20, blank=True
    )
    company_number = models.CharField(_("company number"), max_length=20, blank=True)
    award_date = models.DateField(_("date the grant was awarded"))
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self):
        return f"{self.name} ({self.proposal_id})"

    @property
    def org_identifier(self) -> str:
        """The org-id.guide identifier 360Giving asks for: by charity number (England
        and Wales), else company number, else none."""
        if self.charity_number:
            return f"GB-CHC-{self.charity_number}"
        if self.company_number:
            return f"GB-COH-{self.company_number}"
        return ""
