"""The place tree: county → district → ward/parish → neighbourhood."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from .people import normalise_postcode, postcode_in_area


class PlaceKind(models.TextChoices):
    COUNTY = "county", _("County")
    DISTRICT = "district", _("District")
    WARD = "ward", _("Ward")
    PARISH = "parish", _("Parish")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")


class Place(MP_Node):
    """An area with a devolved budget: a county, district, ward, parish or neighbourhood."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
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

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("civic:place", kwargs={"slug": self.slug})

    def clean(self):
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
