"""Reports of comments and proposals, for moderation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.models.debate import Comment
from forums.models.forum import Forum, InForum
from forums.models.proposals import Proposal


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
