"""Residents' ideas and the costed proposals made from them, with their locations and every move through the workflow."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from civic import geo
from civic.models import Category
from forums.models.forum import Forum, InForum

# A location is a whole point on the globe, or none.
LOCATED = Q(latitude__isnull=True, longitude__isnull=True) | Q(
    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
)


def check_location(item) -> None:
    """A location is both coordinates or neither, and inside the forum's place where
    that place (or one above it) has a boundary."""
    if (item.latitude is None) != (item.longitude is None):
        raise ValidationError(
            {"latitude": _("Give both the latitude and the longitude, or neither.")}
        )
    if item.latitude is None or not item.forum_id:
        return
    area = item.forum.place.area()
    if area is not None and not geo.contains(
        area.boundary, item.longitude, item.latitude
    ):
        raise ValidationError(
            {
                "latitude": _(
                    "That spot is outside %(p)s. Pick a place inside its boundary."
                )
                % {"p": area.name}
            }
        )


class IdeaStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    ACCEPTED = "accepted", _("Turned into a proposal")
    MERGED = "merged", _("Merged with a similar idea")
    REJECTED = "rejected", _("Not taken forward")


class Idea(InForum, models.Model):
    """A resident's suggestion, before organisers check feasibility and cost it."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="ideas")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="ideas",
    )
    title = models.CharField(_("title"), max_length=140)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, verbose_name=_("category")
    )
    location_text = models.CharField(_("where"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    rough_cost_pence = models.BigIntegerField(
        _("rough cost (pence)"), null=True, blank=True
    )
    status = models.CharField(
        max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.SUBMITTED
    )
    review_note = models.TextField(_("organisers' note"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_ideas",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rough_cost_pence__isnull=True) | Q(rough_cost_pence__gte=0),
                name="idea_cost_non_negative",
            ),
            models.CheckConstraint(condition=LOCATED, name="idea_location_is_a_point"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:idea", kwargs={"slug": self.forum.slug, "pk": self.pk})

    def clean(self):
        check_location(self)


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    PUBLISHED = "published", _("Published")
    SHORTLISTED = "shortlisted", _("On the ballot")
    FUNDED = "funded", _("Funded")
    NOT_FUNDED = "not_funded", _("Not funded")
    IN_DELIVERY = "in_delivery", _("Being delivered")
    DELIVERED = "delivered", _("Delivered")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Rejected")


# Public statuses: what residents see listed on a forum.
PUBLIC_STATUSES = (
    ProposalStatus.PUBLISHED,
    ProposalStatus.SHORTLISTED,
    ProposalStatus.FUNDED,
    ProposalStatus.NOT_FUNDED,
    ProposalStatus.IN_DELIVERY,
    ProposalStatus.DELIVERED,
)


class Proposal(InForum, index.Indexed, models.Model):
    """A costed, feasibility-checked project residents can debate and vote on."""

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("summary", boost=2),
        index.SearchField("description"),
        index.SearchField("location_text"),
        index.FilterField("status"),
        index.FilterField("hidden"),
    ]

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="proposals")
    idea = models.OneToOneField(
        Idea, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposal"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    title = models.CharField(_("title"), max_length=140)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, verbose_name=_("category")
    )
    location_text = models.CharField(_("where"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    cost_pence = models.BigIntegerField(_("official cost estimate (pence)"))
    feasibility_note = models.TextField(_("feasibility note"), blank=True)
    status = models.CharField(
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.DRAFT,
        db_index=True,
    )
    status_reason = models.TextField(blank=True)
    comments_locked = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_pence__gte=0), name="proposal_cost_non_negative"
            ),
            models.CheckConstraint(
                condition=LOCATED, name="proposal_location_is_a_point"
            ),
        ]
        indexes = [models.Index(fields=["forum", "status"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "forums:proposal", kwargs={"slug": self.forum.slug, "pk": self.pk}
        )

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def clean(self):
        check_location(self)


class ProposalTransition(models.Model):
    """One step in a proposal's life: who moved it, when, and why."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, blank=True
    )
    to_status = models.CharField(max_length=20, choices=ProposalStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.proposal}: {self.from_status or '∅'} → {self.to_status}"
