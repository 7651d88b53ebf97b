"""The neighbourhood work queues in the Wagtail admin: role-scoped listings (ideas,
proposals, reports, members, code batches, decisions, milestones, audit log). Records
are never edited as raw fields here: each row offers the actions the user may take
(review, change status, moderate, publish...), which are the back-office views in
`cms.backoffice`, guarded by the same permission module and services as the site."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _l
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView, InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from accountability.delivery import DELIVERABLE
from accountability.models import Decision, Milestone
from civic.models import AuditEntry, RoleKind
from civic.money import pounds
from civic.selectors import role_paths, under_paths
from forums.models import (
    Idea,
    IdeaStatus,
    Membership,
    MembershipStatus,
    Proposal,
    Report,
    VerificationCodeBatch,
)


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


@dataclass(frozen=True)
class RowAction:
    """A button on a queue row, shown when the user holds `perm` on the record (or on
    what `of` names, e.g. its forum) and `when` holds."""

    label: str
    url_name: str
    perm: str
    args: tuple = ("pk",)
    of: str = ""
    when: object = None

    def button(self, user, instance):
        target = instance
        for part in filter(None, self.of.split(".")):
            target = getattr(target, part)
        if self.when is not None and not self.when(instance):
            return None
        if not user.has_perm(self.perm, target):
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
    inspect_view_enabled = True
    inspect_view_class = ScopedInspectView
    exclude_form_fields: list[
        str
    ] = []  # the policy never allows adding or editing here
    path_field = ""
    kinds: tuple = ()
    row_actions: tuple = ()

    @property
    def index_view_class(self):
        return type(
            "ScopedIndex", (ScopedIndexView,), {"row_actions": self.row_actions}
        )


def queue(
    model_, icon_, label, path, kinds, columns, filters=(), search=(), actions=()
):
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
            "list_display": [
                *columns,
                OnSiteColumn("on_site", label=_l("On the site")),
            ],
            "list_filter": list(filters),
            "search_fields": list(search) or None,
            "row_actions": tuple(actions),
            "name": f"queue_{model_._meta.model_name}",
            "url_prefix": f"queues/{model_._meta.model_name}",
        },
    )


ORG, CLLR, OFF = RoleKind.ORGANISER, RoleKind.COUNCILLOR, RoleKind.OFFICER


def _unpublished(decision) -> bool:
    return decision.published_at is None


def _open(report) -> bool:
    return report.resolved_at is None


def _waiting(idea) -> bool:
    return idea.status in (IdeaStatus.SUBMITTED, IdeaStatus.CHANGES_REQUESTED)


def _pending(membership) -> bool:
    return membership.status == MembershipStatus.PENDING


def _can_move(proposal) -> bool:
    from forums.workflow import allowed_targets

    return bool(allowed_targets(proposal.status))


def _deliverable(proposal) -> bool:
    return proposal.status in DELIVERABLE


class NeighbourhoodWork(ViewSetGroup):
    menu_label = _l("Neighbourhood work")
    menu_icon = "tasks"
    menu_order = 150

    @property
    def items(self):
        from .backoffice import WorkViewSet

        return (WorkViewSet, *QUEUES)


QUEUES = (
    queue(
        Idea,
        "doc-full",
        _l("Ideas"),
        "forum__place__path",
        (ORG,),
        ["title", "status", "forum", "created_at"],
        ["status", "forum"],
        ["title"],
        [
            RowAction(
                _l("Review"),
                "work:idea_review",
                "forums.review_ideas",
                of="forum",
                when=_waiting,
            )
        ],
    ),
    queue(
        Proposal,
        "doc-full-inverse",
        _l("Proposals"),
        "forum__place__path",
        (ORG, OFF),
        [
            "title",
            "status",
            "forum",
            Column("cost", label=_l("Cost"), accessor=lambda p: pounds(p.cost_pence)),
            "published_at",
        ],
        ["status", "forum"],
        ["title"],
        [
            RowAction(
                _l("Change status"),
                "work:proposal_status",
                "forums.transition_proposal",
                when=_can_move,
            ),
            RowAction(
                _l("Post milestone"),
                "work:milestone",
                "forums.post_milestone",
                when=_deliverable,
            ),
        ],
    ),
    queue(
        Report,
        "warning",
        _l("Reports"),
        "forum__place__path",
        (ORG, CLLR),
        ["reason", "forum", "created_at", "resolved_at"],
        ["resolution", "forum"],
        (),
        [
            RowAction(
                _l("Moderate"),
                "work:moderate",
                "forums.moderate",
                of="forum",
                when=_open,
            )
        ],
    ),
    queue(
        Membership,
        "group",
        _l("Members"),
        "forum__place__path",
        (ORG,),
        ["user", "forum", "status", "method", "verified_at"],
        ["status", "method"],
        (),
        [
            RowAction(
                _l("Approve or turn down"),
                "work:members",
                "forums.manage_members",
                args=("forum.slug",),
                of="forum",
                when=_pending,
            )
        ],
    ),
    queue(
        VerificationCodeBatch,
        "key",
        _l("Code batches"),
        "forum__place__path",
        (ORG,),
        ["forum", "created_at", "expires_at", "note"],
        (),
        (),
        [
            RowAction(
                _l("Generate or download"),
                "work:codes",
                "forums.manage_codes",
                args=("forum.slug",),
                of="forum",
            )
        ],
    ),
    queue(
        Decision,
        "doc-full-inverse",
        _l("Decisions"),
        "place__path",
        (CLLR, OFF),
        ["title", "reference", "place", "decided_on", "published_at"],
        ["kind"],
        ["title"],
        [
            RowAction(
                _l("Edit draft"),
                "work:decision_edit",
                "civic.record_decision",
                args=("place.slug", "pk"),
                of="place",
                when=_unpublished,
            ),
            RowAction(
                _l("Publish"),
                "work:decision_publish",
                "civic.record_decision",
                of="place",
                when=_unpublished,
            ),
        ],
    ),
    queue(
        Milestone,
        "time",
        _l("Milestones"),
        "proposal__forum__place__path",
        (ORG, OFF),
        ["title", "proposal", "planned_date", "actual_date", "percent_done"],
        (),
        (),
        [
            RowAction(
                _l("Post next milestone"),
                "work:milestone",
                "forums.post_milestone",
                args=("proposal_id",),
                of="proposal",
            )
        ],
    ),
    queue(
        AuditEntry,
        "history",
        _l("Audit log"),
        "place__path",
        (CLLR, OFF),
        ["created_at", "actor_label", "action", "summary", "place"],
        ["action"],
        ["summary"],
    ),
)
