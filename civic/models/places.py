"""The place tree: county → district → ward/parish → neighbourhood."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from .people import normalise_postcode, postcode_in_area


class PlaceKind(models.TextChoices):
    COUNTY = "county", _("County")
    DISTRICT = "district", _("District")
    WARD = "ward", _("Ward")
    PARISH = "parish", _("Parish")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")


# An ONS GSS code: the country's letter (England, Wales, Scotland, Northern Ireland),
# two digits for the kind of area (E05 wards, E04 parishes, E06–E09 and E10 councils)
# and six for the area.
GSS_CODE = re.compile(r"[ENSW][0-9]{8}")


class Place(MP_Node):
    """An area with a devolved budget: a county, district, ward, parish or neighbourhood."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    gss_code = models.CharField(
        _("official code"),
        max_length=9,
        blank=True,
        help_text=_(
            "The place's ONS GSS code, e.g. E05012345 for a ward or E04001234 for a "
            "parish. Boundary files are matched to places by it."
        ),
    )
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
        constraints = [
            models.UniqueConstraint(
                fields=["gss_code"],
                condition=~models.Q(gss_code=""),
                name="place_gss_code_unique",
                violation_error_message=_("Another place has this official code."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("civic:place", kwargs={"slug": self.slug})

    def clean(self):
        self.gss_code = self.gss_code.strip().upper()
        if self.gss_code and not GSS_CODE.fullmatch(self.gss_code):
            raise ValidationError(
                {
                    "gss_code": _(
                        "'%(c)s' is not a GSS code: a letter (E, W, S or N) and "
                        "eight digits, e.g. E05012345."
                    )
                    % {"c": self.gss_code}
                }
            )
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


class BoundaryGenerationQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date) -> dict[int, BoundaryGeneration]:
        """Each place's generation in force on the day `on`, by place id."""
        found: dict[int, BoundaryGeneration] = {}
        for generation in self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=on)
        ).order_by("place_id", models.F("valid_from").desc(nulls_last=True)):
            found.setdefault(generation.place_id, generation)
        return found


class BoundaryGeneration(models.Model):
    """One version of a place's boundary, in force from a day until the next one: a
    boundary change (a review of wards, a new parish) adds a generation and keeps the
    old, so a past vote's map keeps the boundary it was run under. `Place.boundary` is
    the generation in force today (civic.services.boundaries_in_force keeps it so)."""

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="boundary_generations"
    )
    valid_from = models.DateField(
        _("in force from"),
        null=True,
        blank=True,
        help_text=_("Empty: in force before any recorded change."),
    )
    geometry = models.JSONField(_("boundary"))
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where it came from, e.g. the boundary order or the file's name."),
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    objects = BoundaryGenerationQuerySet.as_manager()

    class Meta:
        ordering = ["place", models.F("valid_from").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "valid_from"],
                name="boundary_generation_one_per_day",
            ),
            models.UniqueConstraint(
                fields=["place"],
                condition=models.Q(valid_from__isnull=True),
                name="boundary_generation_one_first",
            ),
        ]

    def __str__(self):
        if self.valid_from is None:
            return _("%(p)s, first recorded boundary") % {"p": self.place}
        return _("%(p)s from %(d)s") % {"p": self.place, "d": self.valid_from}
