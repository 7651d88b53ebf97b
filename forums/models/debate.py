"""Debate: topics, threaded comments and reactions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.models.forum import Forum, InForum
from forums.models.proposals import Proposal


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
