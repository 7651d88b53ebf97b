"""Roles: a user's role on a place, which applies to every place below it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .framework_rules import VerificationMethod
from .people import User
from .places import Place


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
