"""The append-only, hash-chained audit log."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .people import User
from .places import Place

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
