"""The neighbourhood work queues in the Wagtail admin: read-only, role-scoped listings
(audit log, ideas, reports, decisions, members, code batches, milestones). Each row's
actions happen on the site's own pages, which apply the domain's rules and the same
permission module; the admin is where each person finds their work."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView, InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from civic.models import AuditEntry, Decision, Milestone, RoleKind
from civic.selectors import role_paths, under_paths
from forums.models import Idea, Membership, Report, VerificationCodeBatch


class RoleScopedReadPolicy(ModelPermissionPolicy):
    """View only; records of the places where the user holds one of `kinds`."""

    def __init__(self, model, path_field: str, kinds):
        super().__init__(model)
        self.path_field, self.kinds = path_field, kinds

    def user_has_permission(self, user, action):
        return (
            action == "view"
            and user.is_active
            and (user.is_superuser or bool(role_paths(user, self.kinds)))
        )

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        qs = self.model._default_manager.all()
        if "view" not in actions:
            return qs.none()
        if user.is_superuser:
            return qs
        return qs.filter(under_paths(role_paths(user, self.kinds), self.path_field))

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.instances_user_has_permission_for(user, action)
            .filter(pk=instance.pk)
            .exists()
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return (
            self.instances_user_has_any_permission_for(user, actions)
            .filter(pk=instance.pk)
            .exists()
        )


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


class ScopedIndexView(IndexView):
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["view"]
        )


class ScopedInspectView(InspectView):
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.user_has_permission_for_instance("view", obj):
            raise PermissionDenied
        return obj


class QueueViewSet(ModelViewSet):
    inspect_view_enabled = True
    index_view_class = ScopedIndexView
    inspect_view_class = ScopedInspectView
    exclude_form_fields: list[
        str
    ] = []  # the policy never allows adding or editing here
    path_field = ""
    kinds: tuple = ()


def queue(model_, icon_, label, path, kinds, columns, filters=(), search=()):
    register_permission_policy(model_, RoleScopedReadPolicy(model_, path, kinds))
    return type(
        f"{model_.__name__}Queue",
        (QueueViewSet,),
        {
            "model": model_,
            "icon": icon_,
            "menu_label": label,
            "path_field": path,
            "kinds": kinds,
            "list_display": [*columns, OnSiteColumn("on_site", label="On the site")],
            "list_filter": list(filters),
            "search_fields": list(search) or None,
            "name": f"queue_{model_._meta.model_name}",
            "url_prefix": f"queues/{model_._meta.model_name}",
        },
    )


ORG, CLLR, OFF = RoleKind.ORGANISER, RoleKind.COUNCILLOR, RoleKind.OFFICER


class NeighbourhoodWork(ViewSetGroup):
    menu_label = "Neighbourhood work"
    menu_icon = "tasks"
    menu_order = 150
    items = (
        queue(
            Idea,
            "doc-full",
            "Ideas",
            "forum__place__path",
            (ORG,),
            ["title", "status", "forum", "created_at"],
            ["status"],
            ["title"],
        ),
        queue(
            Report,
            "warning",
            "Reports",
            "forum__place__path",
            (ORG, CLLR),
            ["reason", "forum", "created_at", "resolved_at"],
            ["resolution"],
        ),
        queue(
            Membership,
            "group",
            "Members",
            "forum__place__path",
            (ORG,),
            ["user", "forum", "status", "method", "verified_at"],
            ["status", "method"],
        ),
        queue(
            VerificationCodeBatch,
            "key",
            "Code batches",
            "forum__place__path",
            (ORG,),
            ["forum", "created_at", "expires_at", "note"],
        ),
        queue(
            Decision,
            "doc-full-inverse",
            "Decisions",
            "place__path",
            (CLLR, OFF),
            ["title", "reference", "place", "decided_on", "published_at"],
            ["kind"],
            ["title"],
        ),
        queue(
            Milestone,
            "time",
            "Milestones",
            "proposal__forum__place__path",
            (ORG, OFF),
            ["title", "proposal", "planned_date", "actual_date", "percent_done"],
        ),
        queue(
            AuditEntry,
            "history",
            "Audit log",
            "place__path",
            (CLLR, OFF),
            ["created_at", "actor_label", "action", "summary", "place"],
            ["action"],
            ["summary"],
        ),
    )
