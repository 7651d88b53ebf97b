"""Polling points: where residents vote in person (a library, a school, a community
centre), on which days and hours, for which votes. Shown on the cycle page, its map
and “Can I vote?”. Poll officers and the points' ballot accounts build on them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from civic.models import Place

from .cycles import Cycle


class PollingPoint(ClusterableModel):
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        related_name="polling_points",
        verbose_name=_("place"),
        help_text=_("The place it is in: officers of this place and above run it."),
    )
    name = models.CharField(_("name"), max_length=160)
    address = models.CharField(_("address"), max_length=300)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    access = models.CharField(
        _("access"),
        max_length=300,
        blank=True,
        help_text=_("Step-free access, hearing loop, parking: what a visitor needs."),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    cycles = ParentalManyToManyField(
        Cycle,
        related_name="polling_points",
        blank=True,
        verbose_name=_("votes it serves"),
    )

    class Meta:
        ordering = ["place__path", "name"]
        verbose_name = _("polling point")
        verbose_name_plural = _("polling points")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="polling_point_location_is_a_point",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                {"latitude": _("Give both the latitude and the longitude, or neither.")}
            )


class OpeningTime(models.Model):
    """One day a polling point is open, and its hours."""

    point = ParentalKey(
        PollingPoint, on_delete=models.CASCADE, related_name="opening_times"
    )
    day = models.DateField(_("day"))
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    panels = ["day", "opens", "closes"]

    class Meta:
        ordering = ["day", "opens"]
        verbose_name = _("opening time")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="opening_closes_after"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.opens}–{self.closes}"

    def clean(self):
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError(
                {"closes": _("A polling point closes after it opens.")}
            )


class ShiftQuerySet(models.QuerySet):
    def under_way(self):
        """The shifts going on now."""
        now = timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gt=now)


class PollOfficerShift(models.Model):
    """A poll officer at a polling point for a shift: granted by an officer of its
    place (audited); the desk is theirs only while the shift lasts, with two-factor
    sign-in like other staff."""

    point = models.ForeignKey(
        PollingPoint, on_delete=models.CASCADE, related_name="shifts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_shifts"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="shift_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return f"{self.user} at {self.point}, {self.starts_at:%d %b %H:%M}"

    @property
    def place(self):
        return self.point.place


class SpoiltPapers(models.Model):
    """Spoilt paper ballots a polling point recorded for a vote (its ballot account)."""

    point = models.ForeignKey(
        PollingPoint, on_delete=models.PROTECT, related_name="spoilt"
    )
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(_("spoilt papers"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1), name="spoilt_papers_at_least_one"
            )
        ]

    def __str__(self):
        return f"{self.number} spoilt at {self.point_id} for {self.cycle_id}"
