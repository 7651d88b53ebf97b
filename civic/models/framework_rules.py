"""The framework rules a council sets for a place, and their choices."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .places import Place


class BallotMethod(models.TextChoices):
    APPROVAL = "approval", _("Approval: tick any projects you support")
    KNAPSACK = "knapsack", _("Budget: choose projects that fit within the budget")
    RANKED = "ranked", _("Ranked: put your favourite projects in order")
    POINTS = "points", _("Points: share out points between projects")


class TallyRule(models.TextChoices):
    GREEDY = "greedy", _("Most votes first (greedy)")
    EQUAL_SHARES = "equal_shares", _("Method of Equal Shares")


class VerificationMethod(models.TextChoices):
    POSTCODE = "postcode", _("Postcode self-declaration")
    CODE = "code", _("Verification code posted to the household")
    APPROVAL = "approval", _("Approval by a forum organiser")
    IN_PERSON = "in_person", _("Checked in person at a polling point")


class VotingScope(models.TextChoices):
    OWN = "own", _("Only their own neighbourhood's budget")
    OWN_PLUS_ONE = "own_plus_one", _("Their own plus one other neighbourhood")
    ALL = "all", _("Every neighbourhood in the cycle")


class ShortlistMethod(models.TextChoices):
    TOP = "top", _("The most supported proposals of each budget")
    THRESHOLD = "threshold", _("Every proposal with enough supports")
    ORGANISERS = "organisers", _("Organisers decide, with supports as advice")


class FrameworkRules(models.Model):
    """The rules a council sets for a place's budget. Empty fields inherit from above."""

    # Fields that inherit, in the order they are shown. Ring-fences inherit as a set.
    INHERITABLE = (
        "min_age",
        "residency_required",
        "verification_methods",
        "project_cost_min_pence",
        "project_cost_max_pence",
        "max_share_percent",
        "ballot_method",
        "min_choices",
        "max_choices",
        "min_spend_percent",
        "points_per_voter",
        "max_ranked",
        "tally_rule",
        "live_results",
        "live_results_every",
        "allow_replacement",
        "randomise_order",
        "voting_scope",
        "ring_fences",
        "supports_phase",
        "supports_per_resident",
        "shortlist_method",
        "shortlist_size",
        "shortlist_threshold",
    )

    place = models.OneToOneField(Place, on_delete=models.CASCADE, related_name="rules")
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    residency_required = models.BooleanField(
        _("residency required"), null=True, blank=True
    )
    verification_methods = models.JSONField(
        _("verification methods allowed"), null=True, blank=True
    )
    project_cost_min_pence = models.BigIntegerField(
        _("minimum project cost"), null=True, blank=True
    )
    project_cost_max_pence = models.BigIntegerField(
        _("maximum project cost"), null=True, blank=True
    )
    max_share_percent = models.PositiveSmallIntegerField(
        _("maximum share of the budget per project (%)"), null=True, blank=True
    )
    ballot_method = models.CharField(
        _("ballot method"), max_length=20, choices=BallotMethod.choices, blank=True
    )
    min_choices = models.PositiveSmallIntegerField(
        _("minimum choices"), null=True, blank=True
    )
    max_choices = models.PositiveSmallIntegerField(
        _("maximum choices"), null=True, blank=True
    )
    min_spend_percent = models.PositiveSmallIntegerField(
        _("minimum spend of the budget on a budget ballot (%)"), null=True, blank=True
    )
    points_per_voter = models.PositiveSmallIntegerField(
        _("points per voter"), null=True, blank=True
    )
    max_ranked = models.PositiveSmallIntegerField(
        _("projects a voter may rank"), null=True, blank=True
    )
    tally_rule = models.CharField(
        _("counting rule"), max_length=20, choices=TallyRule.choices, blank=True
    )
    live_results = models.BooleanField(
        _("show live results while voting is open"), null=True, blank=True
    )
    live_results_every = models.PositiveSmallIntegerField(
        _("minutes between live-results batches"),
        null=True,
        blank=True,
        help_text=_(
            "0: live results move each time 20 new ballots are in. A number of "
            "minutes: they move at most that often, and only with at least 20 new "
            "ballots."
        ),
    )
    allow_replacement = models.BooleanField(
        _("voters may replace their ballot until voting closes"), null=True, blank=True
    )
    randomise_order = models.BooleanField(
        _("show projects in a random order per voter"), null=True, blank=True
    )
    voting_scope = models.CharField(
        _("which neighbourhood budgets a resident votes in"),
        max_length=20,
        choices=VotingScope.choices,
        blank=True,
    )
    ring_fences = models.JSONField(
        _("ring-fenced minimum spend per category"),
        null=True,
        blank=True,
        help_text=_(
            'A mapping of category slug to minimum pence, e.g. {"youth": 500000}.'
        ),
    )
    supports_phase = models.BooleanField(
        _("residents build the shortlist with their supports"),
        null=True,
        blank=True,
        help_text=_(
            "A supports phase between reviewing ideas and the shortlist: verified "
            "residents support published proposals, and the shortlist is built from "
            "the supports."
        ),
    )
    supports_per_resident = models.PositiveSmallIntegerField(
        _("supports per resident"), null=True, blank=True
    )
    shortlist_method = models.CharField(
        _("how the shortlist is built from supports"),
        max_length=20,
        choices=ShortlistMethod.choices,
        blank=True,
    )
    shortlist_size = models.PositiveSmallIntegerField(
        _("proposals shortlisted per budget (most supported)"),
        null=True,
        blank=True,
        help_text=_("Proposals tied at the cut all go through."),
    )
    shortlist_threshold = models.PositiveIntegerField(
        _("supports a proposal needs to be shortlisted"), null=True, blank=True
    )
    locked_fields = models.JSONField(
        _("fields places below may not change"), default=list, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("framework rules")
        verbose_name_plural = _("framework rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(project_cost_min_pence__isnull=True)
                | Q(project_cost_min_pence__gte=0),
                name="rules_cost_min_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(project_cost_max_pence__isnull=True)
                | Q(project_cost_max_pence__gt=0),
                name="rules_cost_max_positive",
            ),
            models.CheckConstraint(
                condition=Q(max_share_percent__isnull=True)
                | Q(max_share_percent__gte=1, max_share_percent__lte=100),
                name="rules_max_share_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(min_spend_percent__isnull=True)
                | Q(min_spend_percent__lte=100),
                name="rules_min_spend_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(supports_per_resident__isnull=True)
                | Q(supports_per_resident__gte=1),
                name="rules_supports_per_resident_positive",
            ),
            models.CheckConstraint(
                condition=Q(shortlist_size__isnull=True) | Q(shortlist_size__gte=1),
                name="rules_shortlist_size_positive",
            ),
        ]

    def __str__(self):
        return f"Framework rules for {self.place}"

    def own_values(self) -> dict:
        """The values this place sets itself (None/'' means inherit)."""
        values = {}
        for name in self.INHERITABLE:
            value = getattr(self, name)
            if value is not None and value != "":
                values[name] = value
        return values
