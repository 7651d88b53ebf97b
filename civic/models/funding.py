"""The money: public bodies, spending categories, budgets and the contributions that make them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from civic.money import PenceField

from .places import Place


class BodyKind(models.TextChoices):
    COUNCIL = "council", _("Council")
    NHS = "nhs", _("NHS")
    POLICE = "police", _("Police")
    HOUSING = "housing", _("Housing")
    FIRE = "fire", _("Fire and rescue")
    OTHER = "other", _("Other public body")


class PublicBody(models.Model):
    """A public body that pools money into place budgets: a council, the NHS, police…"""

    name = models.CharField(_("name"), max_length=160, unique=True)
    slug = models.SlugField(max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("public body")
        verbose_name_plural = _("public bodies")

    def __str__(self):
        return self.name


class Category(models.Model):
    """A spending category that proposals belong to and ring-fences protect."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    colour = models.CharField(
        max_length=7, default="#2f6f4f", help_text=_("Hex colour used in charts.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class BudgetQuerySet(models.QuerySet):
    def current(self, on=None):
        """Budgets whose period contains `on` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(period_start__lte=on, period_end__gte=on)

    def with_totals(self):
        return self.annotate(
            total_pence=models.functions.Coalesce(
                Sum("contributions__amount_pence"),
                0,
                output_field=models.BigIntegerField(),
            )
        )

    def with_contributions(self):
        """Each budget's contributions, with their body and ring-fence category, in
        the order they were added."""
        return self.prefetch_related(
            models.Prefetch(
                "contributions",
                queryset=Contribution.objects.select_related(
                    "body", "ring_fence_category"
                ).order_by("pk"),
            )
        )


class Budget(ClusterableModel):
    """Money devolved to a place for a period, pooled from public bodies' contributions."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="budgets")
    name = models.CharField(_("name"), max_length=160)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    notes = models.TextField(
        _("notes"),
        blank=True,
        help_text=_("Anything residents should know about this money."),
    )

    objects = BudgetQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="budget_period_ordered",
                violation_error_message=_("The period must end on or after its start."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.place})"

    @property
    def total_pence(self) -> int:
        """The budget's size: the sum of its contributions, never typed separately."""
        if "total_pence" in self.__dict__:
            return self.__dict__["total_pence"]
        return sum(c.amount_pence for c in self.contributions.all())

    @total_pence.setter
    def total_pence(self, value):
        self.__dict__["total_pence"] = value

    def ring_fenced_by_category(self) -> dict[Category, int]:
        totals: dict[Category, int] = {}
        for c in self.contributions.all():
            if c.ring_fence_category_id and c.ring_fenced_pence:
                totals[c.ring_fence_category] = (
                    totals.get(c.ring_fence_category, 0) + c.ring_fenced_pence
                )
        return totals


class Contribution(models.Model):
    """One public body's money in a budget, optionally part ring-fenced to a category."""

    panels = [
        "body",
        "amount_pence",
        "ring_fence_category",
        "ring_fenced_pence",
        "note",
    ]

    budget = ParentalKey(Budget, on_delete=models.CASCADE, related_name="contributions")
    body = models.ForeignKey(
        PublicBody, on_delete=models.PROTECT, related_name="contributions"
    )
    amount_pence = PenceField(_("amount"))
    ring_fence_category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ring_fenced_contributions",
        verbose_name=_("ring-fenced for"),
    )
    ring_fenced_pence = PenceField(
        _("ring-fenced amount"),
        default=0,
        help_text=_("How much of this contribution must be spent on the category."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-amount_pence"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_pence__gt=0),
                name="contribution_amount_positive",
                violation_error_message=_("A contribution must be more than £0."),
            ),
            models.CheckConstraint(
                condition=Q(ring_fenced_pence__gte=0)
                & Q(ring_fenced_pence__lte=models.F("amount_pence")),
                name="contribution_ring_fence_within_amount",
                violation_error_message=_(
                    "The ring-fenced amount must be between £0 and the contribution."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ring_fenced_pence=0) | Q(ring_fence_category__isnull=False),
                name="contribution_ring_fence_has_category",
                violation_error_message=_("A ring-fenced amount needs a category."),
            ),
        ]

    def __str__(self):
        return f"{self.body}: £{self.amount_pence / 100:,.2f}"
