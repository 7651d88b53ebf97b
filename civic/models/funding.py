"""The money: public bodies, spending categories, budgets and the contributions that make them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from civic import cil
from civic.money import PenceField, pounds

from .places import Place


class BodyKind(models.TextChoices):
    COUNCIL = "council", _("Council")
    NHS = "nhs", _("NHS")
    POLICE = "police", _("Police")
    HOUSING = "housing", _("Housing")
    FIRE = "fire", _("Fire and rescue")
    OTHER = "other", _("Other public body")


class ContributionKind(models.TextChoices):
    GRANT = "grant", _("Allocation")
    CIL = "cil", _("Community Infrastructure Levy, neighbourhood portion")


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
                    "body", "ring_fence_category", "cil_receipt__place"
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


class CilReceipt(models.Model):
    """Community Infrastructure Levy received from development in one area over one
    half of a financial year, and the neighbourhood portion it gives the area
    (civic/cil.py). `portion_pence` is worked out by civic.services.cil_receipt_save,
    never typed: the cap of a year is shared by its two halves."""

    class Half(models.IntegerChoices):
        FIRST = 1, _("April to September")
        SECOND = 2, _("October to March")

    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        related_name="cil_receipts",
        verbose_name=_("area"),
        help_text=_("The parish or neighbourhood where the development took place."),
    )
    charging_authority = models.ForeignKey(
        PublicBody,
        on_delete=models.PROTECT,
        related_name="cil_receipts",
        verbose_name=_("charging authority"),
    )
    financial_year = models.PositiveSmallIntegerField(
        _("financial year"),
        validators=[MinValueValidator(2010), MaxValueValidator(2100)],
        help_text=_("The year it starts: 2026 for April 2026 to March 2027."),
    )
    half = models.PositiveSmallIntegerField(_("half-year"), choices=Half.choices)
    receipts_pence = PenceField(
        _("CIL received"),
        help_text=_(
            "CIL the charging authority received from development in the area."
        ),
    )
    dwellings = models.PositiveIntegerField(
        _("council-tax dwellings"),
        help_text=_(
            "Dwellings in the area on the council-tax list: without a neighbourhood "
            "plan the portion is capped at £100 for each of them a year."
        ),
    )
    neighbourhood_plan = models.BooleanField(
        _("a neighbourhood plan is made"),
        default=False,
        help_text=_("Then the portion is 25%, uncapped; otherwise 15%, capped."),
    )
    developments = models.CharField(
        _("developments"),
        max_length=500,
        blank=True,
        help_text=_("The planning applications that paid, e.g. 24/01234/FUL."),
    )
    portion_pence = PenceField(_("neighbourhood portion"), default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-financial_year", "-half", "place__path"]
        verbose_name = _("CIL receipt")
        verbose_name_plural = _("CIL receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["place", "financial_year", "half"],
                name="cil_receipt_one_per_area_and_half",
                violation_error_message=_(
                    "This area already has its CIL for that half-year: change that one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(receipts_pence__gte=0),
                name="cil_receipts_not_negative",
                violation_error_message=_("The CIL received cannot be below £0."),
            ),
        ]

    def __str__(self):
        return _("CIL from %(place)s, %(period)s") % {
            "place": self.place,
            "period": self.period_label,
        }

    @property
    def period_label(self) -> str:
        return f"{self.get_half_display()} {self.year_label}"

    @property
    def received(self) -> str:
        return pounds(self.receipts_pence)

    @property
    def portion_amount(self) -> str:
        return pounds(self.portion_pence)

    @property
    def year_label(self) -> str:
        return f"{self.financial_year}/{str(self.financial_year + 1)[2:]}"

    @property
    def portion(self) -> cil.Portion:
        """How the portion was worked out (with the year's other half, one query)."""
        receipts = list(
            CilReceipt.objects.filter(
                place_id=self.place_id, financial_year=self.financial_year
            )
        )
        found = cil.portions([r.as_receipt() for r in receipts])
        return found[[r.pk for r in receipts].index(self.pk)]

    def as_receipt(self) -> cil.Receipt:
        return cil.Receipt(
            self.half, self.receipts_pence, self.dwellings, self.neighbourhood_plan
        )


class Contribution(models.Model):
    """One public body's money in a budget, optionally part ring-fenced to a category;
    a contribution from a CIL receipt is (part of) that receipt's neighbourhood portion."""

    panels = [
        "body",
        "cil_receipt",
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
    cil_receipt = models.ForeignKey(
        CilReceipt,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("from a CIL receipt"),
        help_text=_(
            "For the Community Infrastructure Levy's neighbourhood portion: the "
            "receipt it comes from. The body must be its charging authority."
        ),
    )

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

    @property
    def kind(self) -> str:
        return ContributionKind.CIL if self.cil_receipt_id else ContributionKind.GRANT

    def clean(self):
        receipt = self.cil_receipt
        if receipt is None:
            return
        errors = {}
        if self.body_id and self.body_id != receipt.charging_authority_id:
            errors["body"] = _(
                "CIL is passed on by the charging authority, %(body)s."
            ) % {"body": receipt.charging_authority}
        budget = getattr(self, "budget", None)
        place = getattr(budget, "place", None)
        if place is not None and not place.path.startswith(receipt.place.path):
            errors["cil_receipt"] = _(
                "The neighbourhood portion from %(area)s is spent in %(area)s: this "
                "budget is for %(place)s."
            ) % {"area": receipt.place, "place": place}
        elsewhere = (
            receipt.contributions.exclude(pk=self.pk).aggregate(
                total=Sum("amount_pence")
            )["total"]
            or 0
        )
        left = receipt.portion_pence - elsewhere
        if self.amount_pence is not None and self.amount_pence > left:
            errors["amount_pence"] = _(
                "The neighbourhood portion from this receipt is %(portion)s, and "
                "%(left)s of it is not yet in a budget."
            ) % {"portion": pounds(receipt.portion_pence), "left": pounds(left)}
        if errors:
            raise ValidationError(errors)
