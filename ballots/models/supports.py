"""Supports: verified residents back published proposals to build a vote's shortlist
(the supports phase, ballots/services/supports.py). Public as counts; who supported what is
seen only by the supporter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from forums.models import Proposal

from .cycles import Cycle


class Support(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="supports")
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One support per resident per proposal: held by the database, so two
            # clicks at once store one.
            models.UniqueConstraint(
                fields=["cycle", "proposal", "user"],
                name="one_support_per_resident_per_proposal",
            )
        ]
        indexes = [models.Index(fields=["cycle", "proposal"], name="supports_counted")]

    def __str__(self):
        return f"{self.user_id} supports {self.proposal_id} in {self.cycle_id}"
