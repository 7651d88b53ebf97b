"""Neighbourhood forums: membership, ideas, proposals, debate and moderation."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from civic import geo
from civic.models import Category, Place, VerificationMethod


class InForum:
    """For records that belong to a forum: their place is the forum's (roles apply there)."""

    @property
    def place(self):
        return self.forum.place


class Forum(models.Model):
    """The public meeting place of a neighbourhood's budget: its proposals and debate."""

    place = models.OneToOneField(Place, on_delete=models.PROTECT, related_name="forum")
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(max_length=160, unique=True)
    intro = models.TextField(_("introduction"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forums:forum", kwargs={"slug": self.slug})


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an organiser")
    VERIFIED = "verified", _("Verified resident")
    REJECTED = "rejected", _("Not approved")


class Membership(InForum, models.Model):
    """A resident's membership of a forum, with how and when their residency was verified."""

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    status = models.CharField(max_length=20, choices=MembershipStatus.choices)
    method = models.CharField(max_length=20, choices=VerificationMethod.choices)
    declared_postcode = models.CharField(max_length=10, blank=True)
    message = models.CharField(
        _("note for the organisers"),
        max_length=500,
        blank=True,
        help_text=_("For example, how you are connected to the neighbourhood."),
    )
    requested_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "user"], name="one_membership_per_forum"
            )
        ]

    def __str__(self):
        return f"{self.user} in {self.forum} ({self.status})"


def new_code() -> str:
    """Ten characters from an alphabet without look-alikes (no 0/O, 1/I/L)."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_code(text: str) -> str:
    """'abcde fghjk' or 'ABCDEFGHJK' → 'ABCDE-FGHJK', as codes are stored."""
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return f"{raw[:5]}-{raw[5:]}" if len(raw) == 10 else raw


class VerificationCodeBatch(InForum, models.Model):
    """A batch of one-time residency codes organisers print and post to households."""

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="code_batches"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Codes for {self.forum} ({self.created_at:%d %b %Y})"


class VerificationCode(models.Model):
    """One code: works once, only for its forum's place, until the batch expires."""

    batch = models.ForeignKey(
        VerificationCodeBatch, on_delete=models.CASCADE, related_name="codes"
    )
    code = models.CharField(max_length=11, unique=True, default=new_code)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    used_at = models.DateTimeField(null=True, blank=True)
    used_for = models.CharField(
        max_length=20, blank=True, help_text="'membership' or 'paper ballot'"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.code


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


class Topic(InForum, models.Model):
    """A forum discussion thread that is not about one proposal."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="topics")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=140)
    body = models.TextField(_("what would you like to discuss?"))
    comments_locked = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:topic", kwargs={"slug": self.forum.slug, "pk": self.pk})


class Comment(InForum, models.Model):
    """A contribution to a debate, on a proposal or a topic, possibly replying to another."""

    MAX_SHOWN_DEPTH = 3

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="comments")
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="comments",
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=300, blank=True)
    agree_count = models.PositiveIntegerField(default=0)
    disagree_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(proposal__isnull=False) & Q(topic__isnull=True))
                | (Q(proposal__isnull=True) & Q(topic__isnull=False)),
                name="comment_on_exactly_one_thread",
            )
        ]
        indexes = [models.Index(fields=["forum", "-created_at"])]

    def __str__(self):
        return f"Comment {self.pk} by {self.author}"

    def get_absolute_url(self):
        return f"{self.thread.get_absolute_url()}#comment-{self.pk}"

    @property
    def thread(self):
        return self.proposal if self.proposal_id else self.topic


class Reaction(models.Model):
    """Agree or disagree with a comment, once per person."""

    AGREE, DISAGREE = 1, -1
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reactions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    value = models.SmallIntegerField(
        choices=[(AGREE, _("Agree")), (DISAGREE, _("Disagree"))]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"], name="one_reaction_per_person"
            ),
            models.CheckConstraint(
                condition=Q(value__in=[1, -1]), name="reaction_value_valid"
            ),
        ]

    def __str__(self):
        return f"{self.value:+d} on comment {self.comment_id}"


class Report(InForum, models.Model):
    """A signed-in user's report that a comment or proposal breaks the house rules."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("what is wrong?"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(comment__isnull=False) & Q(proposal__isnull=True))
                | (Q(comment__isnull=True) & Q(proposal__isnull=False)),
                name="report_on_exactly_one_thing",
            )
        ]

    def __str__(self):
        return f"Report {self.pk}: {self.reason[:40]}"

    @property
    def target(self):
        return self.comment if self.comment_id else self.proposal


class Follow(models.Model):
    """Someone who wants emails about a forum's phase changes and decisions."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "user"], name="one_follow_per_forum"
            )
        ]

    def __str__(self):
        return f"{self.user_id} follows {self.forum_id}"


ONE_OF_IDEA_OR_PROPOSAL = Q(idea__isnull=False, proposal__isnull=True) | Q(
    idea__isnull=True, proposal__isnull=False
)


class OnIdeaOrProposal(models.Model):
    """Something attached to one idea or one proposal (never both, never neither):
    `idea.pictures`, `proposal.attachments`..."""

    idea = models.ForeignKey(
        Idea,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=ONE_OF_IDEA_OR_PROPOSAL,
                name="%(class)s_on_idea_or_proposal",
            )
        ]


class Picture(OnIdeaOrProposal):
    """A photo or drawing of an idea or proposal: a Wagtail image, with the alt text
    that describes it to people who cannot see it."""

    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+"
    )
    alt_text = models.CharField(
        _("description for people who cannot see it"), max_length=250
    )

    class Meta(OnIdeaOrProposal.Meta):
        constraints = [
            *OnIdeaOrProposal.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(alt_text=""), name="picture_has_alt_text"
            ),
        ]

    def __str__(self):
        return self.alt_text


class Attachment(OnIdeaOrProposal):
    """A document (costing, plan, letter of support) on an idea or proposal: a Wagtail
    document."""

    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+"
    )

    def __str__(self):
        return self.document.title
