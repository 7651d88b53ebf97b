"""The civic domain: people, places, the bodies that fund them, budgets and the rules
councils set for spending them."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from treebeard.mp_tree import MP_Node

POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def normalise_postcode(value: str) -> str:
    """Upper-case a UK postcode and put the single space before the inward code."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) > 3:
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


def postcode_in_area(postcode: str, prefix: str) -> bool:
    """True when a normalised postcode lies in a prefix such as 'NB1' or 'NB1 2'.

    The outward code must match whole ('NB1' does not contain 'NB14 1AA'); the inward
    part of the prefix, if any, must start the postcode's inward code.
    """
    outward, _, inward = postcode.partition(" ")
    p_out, _, p_in = prefix.partition(" ")
    return outward == p_out and inward.startswith(p_in)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account: a resident, an organiser, a councillor or an officer."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_(
            "Shown next to what you write. Leave empty to appear as 'Resident'."
        ),
    )
    postcode = models.CharField(
        _("postcode"),
        max_length=10,
        blank=True,
        help_text=_(
            "Used only to find your neighbourhood and check you may vote there."
        ),
    )
    year_of_birth = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        help_text=_("Used only to check age limits set by your council. Never shown."),
    )
    notify_replies = models.BooleanField(
        _("email me replies to my comments"), default=True
    )
    notify_proposal_comments = models.BooleanField(
        _("email me comments on my ideas and proposals"), default=True
    )
    notify_forum_updates = models.BooleanField(
        _("email me phase changes and decisions in forums I follow"), default=True
    )
    notify_receipt = models.BooleanField(
        _("email me my receipt code after I vote"),
        default=False,
        help_text=_(
            "Handy, but anyone who can read your email could then check how you voted. "
            "Off by default."
        ),
    )
    language = models.CharField(
        _("language for emails"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Set when you choose a language on the site."),
    )
    is_demo = models.BooleanField(
        default=False,
        editable=False,
        help_text="Created by seed_demo; exempt from the MFA requirement while DEBUG is on.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.public_name

    def save(self, *args, **kwargs):
        self.postcode = normalise_postcode(self.postcode)
        super().save(*args, **kwargs)

    @property
    def public_name(self) -> str:
        return self.display_name or str(_("Resident"))

    def age_on(self, day) -> int | None:
        """Age in whole years at the end of the year of `day` (we store only the year)."""
        if not self.year_of_birth:
            return None
        return day.year - self.year_of_birth


class PlaceKind(models.TextChoices):
    COUNTY = "county", _("County")
    DISTRICT = "district", _("District")
    WARD = "ward", _("Ward")
    PARISH = "parish", _("Parish")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")


class Place(MP_Node):
    """An area with a devolved budget: a county, district, ward, parish or neighbourhood."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    summary = models.TextField(_("summary"), blank=True)
    boundary = models.JSONField(
        _("boundary"),
        null=True,
        blank=True,
        help_text=_("A GeoJSON Polygon or MultiPolygon (longitude, latitude)."),
    )
    postcode_areas = models.TextField(
        _("postcode areas"),
        blank=True,
        help_text=_(
            "Comma-separated postcode prefixes that lie in this place, e.g. "
            "'NB1 2, NB1 3'. A resident's postcode must start with one of them."
        ),
    )
    node_order_by = ["name"]

    class Meta:
        ordering = ["path"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("civic:place", kwargs={"slug": self.slug})

    def clean(self):
        for prefix in self.postcode_prefixes():
            if not re.fullmatch(r"[A-Z]{1,2}[0-9][A-Z0-9]?( [0-9][A-Z]{0,2})?", prefix):
                raise ValidationError(
                    {
                        "postcode_areas": _("'%(p)s' is not a postcode prefix.")
                        % {"p": prefix}
                    }
                )

    def postcode_prefixes(self) -> list[str]:
        return [
            " ".join(part.upper().split())
            for part in self.postcode_areas.split(",")
            if part.strip()
        ]

    def covers_postcode(self, postcode: str) -> bool:
        """True when `postcode` lies in this place or any place below it."""
        postcode = normalise_postcode(postcode)
        if not postcode:
            return False
        places = Place.objects.filter(path__startswith=self.path).exclude(
            postcode_areas=""
        )
        return any(
            postcode_in_area(postcode, prefix)
            for place in places
            for prefix in place.postcode_prefixes()
        )

    def ancestor_paths(self) -> list[str]:
        """Paths of this place and every place above it, root first."""
        step = self.steplen
        return [self.path[: i * step] for i in range(1, len(self.path) // step + 1)]

    def lineage(self) -> list[Place]:
        """This place and its ancestors, root first, in one query."""
        return list(
            Place.objects.filter(path__in=self.ancestor_paths()).order_by("depth")
        )

    def area(self) -> Place | None:
        """The nearest place, this one or above, that has a boundary (one query)."""
        return (
            Place.objects.filter(path__in=self.ancestor_paths(), boundary__isnull=False)
            .order_by("-depth")
            .first()
        )


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
    amount_pence = models.BigIntegerField(_("amount (pence)"))
    ring_fence_category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ring_fenced_contributions",
        verbose_name=_("ring-fenced for"),
    )
    ring_fenced_pence = models.BigIntegerField(
        _("ring-fenced amount (pence)"),
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


class VotingScope(models.TextChoices):
    OWN = "own", _("Only their own neighbourhood's budget")
    OWN_PLUS_ONE = "own_plus_one", _("Their own plus one other neighbourhood")
    ALL = "all", _("Every neighbourhood in the cycle")


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
        _("minimum project cost (pence)"), null=True, blank=True
    )
    project_cost_max_pence = models.BigIntegerField(
        _("maximum project cost (pence)"), null=True, blank=True
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
        _("ring-fenced minimum spend per category (pence)"),
        null=True,
        blank=True,
        help_text=_(
            'A mapping of category slug to minimum pence, e.g. {"youth": 500000}.'
        ),
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


class RoleKind(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    ORGANISER = "organiser", _("Forum organiser")
    COUNCILLOR = "councillor", _("Councillor")
    OFFICER = "officer", _("Council officer")


class RoleQuerySet(models.QuerySet):
    def covering(self, place: Place):
        """Roles held on `place` or on any place above it: roles apply downwards."""
        return self.filter(place__path__in=place.ancestor_paths())


class Role(models.Model):
    """A person's role on a place; it applies to every place below it too."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(max_length=20, choices=RoleKind.choices)
    verification_method = models.CharField(
        max_length=20, choices=VerificationMethod.choices, blank=True
    )
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["place__path", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "place", "kind"], name="one_role_of_a_kind_per_place"
            )
        ]

    def __str__(self):
        return f"{self.user.email} — {self.get_kind_display()} of {self.place}"


GENESIS_HASH = "0" * 64


class AuditEntry(models.Model):
    """One line of the append-only, hash-chained audit log of consequential actions."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=60, db_index=True)
    place = models.ForeignKey(
        Place, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        constraints = [
            # Two appenders racing for the same predecessor: one wins, one retries.
            models.UniqueConstraint(fields=["prev_hash"], name="audit_chain_is_linear")
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}: {self.summary}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit entries are append-only.")

    def payload(self) -> str:
        import json

        return json.dumps(
            {
                "created_at": self.created_at.isoformat(),
                "actor": self.actor_label,
                "action": self.action,
                "place": self.place_id,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "summary": self.summary,
                "data": self.data,
                "prev": self.prev_hash,
            },
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        )

    def compute_hash(self) -> str:
        import hashlib

        return hashlib.sha256(self.payload().encode()).hexdigest()


def retry_grace():
    """When the scheduler may first queue a stored email again if it is still unsent:
    the first retry delay (a minute by default) after it was stored."""
    return timezone.now() + dt.timedelta(seconds=settings.NB_MAIL_RETRY_SECONDS[0])


class OutgoingEmail(models.Model):
    """The outbox: an email is stored in the transaction of what caused it, and the
    task queue sends it after the commit, retrying until the mail server takes it.
    Unsent mail (and why) is visible to administrators; nothing is dropped."""

    to = models.EmailField()
    subject = models.CharField(max_length=255)
    text = models.TextField()
    html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    # When the scheduler (flush_outbox) may queue it again if it is still unsent: a
    # minute after it was stored (the first send is queued at once), later after each
    # failure.
    next_attempt_at = models.DateTimeField(default=retry_grace, db_index=True)
    # A ballot receipt: subject, text and HTML sealed together (civic/sealing.py), so
    # neither the database nor a backup can read the code; emptied once it is sent.
    sealed = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing email")

    def __str__(self):
        return f"{self.subject} → {self.to}"
