"""Voting codes: one-use codes, printed in batches, that let a resident vote without an account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.models import Place
from forums.models import PostedCode

from .cycles import Cycle


class VotingCodeBatch(models.Model):
    """Voting codes an officer printed for one cycle and one place: each lets one
    resident without an account cast one ballot, online or on paper."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="code_batches"
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("where the letters go"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Voting codes for {self.place} in {self.cycle}"


class VotingCode(PostedCode):
    """One posted voting code. Used once (online or paper), or revoked."""

    batch = models.ForeignKey(
        VotingCodeBatch, on_delete=models.CASCADE, related_name="codes"
    )
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
