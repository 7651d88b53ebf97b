"""The back office's work queues (Wagtail admin listings), what they share: each
queue lists one model's records in the places where the user holds a role, read
only. Records are never edited as raw fields here: each row offers the actions the
user may take (review, change status, moderate, publish...), which are the views of
each app's `backoffice.py`, guarded by the same permission module and flows as the
site. Each app declares its own queues (`QueueViewSet` subclasses) in its
`backoffice.py`; cms/backoffice.py groups them under "Neighbourhood work"."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.urls import get_resolver, reverse
from django.utils.translation import gettext_lazy as _l
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permissions import register_permission_policy

from civic.admin_permissions import PlaceScopedPolicy


@functools.cache
def permission_of(url_name: str) -> str:
    """The permission asked by the back-office view named `url_name` ("work:…"): its
    action's, so a button leading to it never repeats the permission's name."""
    namespace, name = url_name.split(":")
    _prefix, resolver = get_resolver().namespace_dict[namespace]
    for pattern in resolver.url_patterns:
        if getattr(pattern, "name", None) == name:
            return pattern.callback.view_class().perm
    raise KeyError(url_name)


class OnSiteColumn(Column):
    """A link to the page where the work on this record is done."""

    cell_template_name = "cms/admin/on_site_cell.html"

    def get_value(self, instance):
        url = getattr(instance, "get_absolute_url", None)
        if url is None and hasattr(instance, "target"):
            url = instance.target.get_absolute_url
        if url is None and hasattr(instance, "proposal"):
            url = instance.proposal.get_absolute_url
        return url() if url else ""


@dataclass(frozen=True)
class RowAction:
    """A button on a queue row leading to the back-office view `url_name`, shown when
    the user holds that view's permission on the record (or on what `of` names, e.g.
    its forum) and `when` holds."""

    label: str
    url_name: str
    args: tuple = ("pk",)
    of: str = ""
    when: object = None

    def button(self, user, instance):
        target = instance
        for part in filter(None, self.of.split(".")):
            target = getattr(target, part)
        if self.when is not None and not self.when(instance):
            return None
        if not user.has_perm(permission_of(self.url_name), target):
            return None
        args = []
        for name in self.args:
            value = instance
            for part in name.split("."):
                value = getattr(value, part)
            args.append(value)
        return ListingButton(
            self.label, url=reverse(self.url_name, args=args), priority=5
        )


class ScopedIndexView(IndexView):
    row_actions: tuple = ()

    def get_base_queryset(self):
        queryset = self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["view"]
        )
        # The rows' place (and what leads to it) in the same query: the row actions
        # ask the permission module about it.
        place = self.permission_policy.path_field.removesuffix("__path")
        return queryset.select_related(place)

    def get_list_more_buttons(self, instance):
        buttons = [
            button
            for action in self.row_actions
            if (button := action.button(self.request.user, instance)) is not None
        ]
        return buttons + super().get_list_more_buttons(instance)


class ScopedInspectView(InspectView):
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.user_has_permission_for_instance("view", obj):
            raise PermissionDenied
        return obj


class QueueViewSet(ModelViewSet):
    """A role-scoped, read-only work queue of one model. A subclass names the model,
    its `icon` and `menu_label`, `path_field` (the lookup to the record's place path),
    its `columns`, `list_filter`, `search_fields` and `row_actions`. It lists the
    records of the places where the user holds a role that grants one of the row
    actions' permissions, or `perm` (a queue to read, with no action). Its URLs are
    queues/<model>/ and its URL names queue_<model>:..."""

    inspect_view_enabled = True
    inspect_view_class = ScopedInspectView
    index_view_class = ScopedIndexView
    exclude_form_fields: list[str] = []  # the policy never allows adding or editing
    path_field = ""
    perm = ""
    columns: tuple = ()
    row_actions: tuple = ()

    def __init__(self, name=None, **kwargs):
        model_name = self.model._meta.model_name
        self.url_prefix = f"queues/{model_name}"
        super().__init__(name or f"queue_{model_name}", **kwargs)
        # Read only, for everyone (superusers too), on the records of the places
        # where the user holds a role granting one of the permissions: "view" alone.
        register_permission_policy(
            self.model,
            PlaceScopedPolicy(
                self.model,
                self.path_field,
                self.permissions,
                actions=("view",),
                superuser_actions=("view",),
            ),
        )

    def permissions(self) -> list[str]:
        """The permissions whose roles see this queue (asked once URLs are loaded)."""
        own = [self.perm] if self.perm else []
        return own + [permission_of(action.url_name) for action in self.row_actions]

    @property
    def list_display(self):
        return [*self.columns, OnSiteColumn("on_site", label=_l("On the site"))]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(row_actions=self.row_actions, **kwargs)
