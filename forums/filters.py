"""The forum's proposal list filters (django-filter): status, category, cost in pounds
(parsed exactly, like every money field), text and sort order."""

from __future__ import annotations

import django_filters
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from civic.geo import parse_bbox
from civic.money import PoundsField, pence

from .models import PUBLIC_STATUSES, ProposalStatus

SORTS = {
    "newest": ("-published_at", "-created_at"),
    "discussed": ("-num_comments", "-published_at"),
    "cost_low": ("cost_pence", "title"),
    "cost_high": ("-cost_pence", "title"),
}


# The statuses anyone may list (drafts and the like are not public).
STATUS_CHOICES = [(s, ProposalStatus(s).label) for s in PUBLIC_STATUSES]


class PoundsFilter(django_filters.Filter):
    """Pounds and pence typed by a person (e.g. 1250.50), compared as integer pence."""

    field_class = PoundsField

    def filter(self, qs, value):
        if value is None:
            return qs
        return super().filter(qs, pence(value))


class ProposalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    category = django_filters.CharFilter(
        field_name="category__slug", label=_("Category")
    )
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, label=_("Status"))
    min_cost = PoundsFilter(
        field_name="cost_pence", lookup_expr="gte", label=_("Cost from £")
    )
    max_cost = PoundsFilter(field_name="cost_pence", lookup_expr="lte", label=_("to £"))
    area = django_filters.CharFilter(method="in_area", label=_("Map area"))
    sort = django_filters.ChoiceFilter(
        method="order",
        choices=[(key, key) for key in SORTS],
        empty_label=None,
        label=_("Sort"),
    )

    def filter_queryset(self, queryset):
        queryset = queryset.filter(status__in=PUBLIC_STATUSES).annotate(
            num_comments=Count("comments", filter=Q(comments__hidden=False))
        )
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORTS["newest"])
        return queryset

    def search(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(title__icontains=text)
            | Q(summary__icontains=text)
            | Q(description__icontains=text)
        )

    def in_area(self, queryset, name, value):
        """Only proposals placed inside the map's visible area ('south,west,north,east');
        an area that cannot be read is ignored."""
        box = parse_bbox(value)
        if box is None:
            return queryset
        south, west, north, east = box
        within = Q(latitude__gte=south, latitude__lte=north)
        if west <= east:
            within &= Q(longitude__gte=west, longitude__lte=east)
        else:  # the area crosses the 180° meridian
            within &= Q(longitude__gte=west) | Q(longitude__lte=east)
        return queryset.filter(within)

    def order(self, queryset, name, value):
        return queryset.order_by(*SORTS[value])
