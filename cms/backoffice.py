"""The back office's front door in the Wagtail admin: "Your work" (every place, forum
and cycle where a person has actions, with what waits there), the URLs of every app's
back-office actions, mounted under /admin/work/, and the "Neighbourhood work" menu
group with each app's work queues. Each app keeps its action views and queues in its
`backoffice.py` (shared bases: civic/backoffice.py, civic/work_queues.py)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import path
from django.utils.translation import gettext_lazy as _l
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from accountability.backoffice import (
    DecisionEditView,
    DecisionPublishView,
    DecisionQueue,
    MilestoneQueue,
    MilestoneView,
    ReportView,
)
from ballots.backoffice import PaperBallotView, PhaseView, ReopenView
from ballots.models import Cycle
from civic import gov_notify
from civic.backoffice import AuditQueue, BoundariesView, CilView, RulesView
from civic.models import OutgoingEmail, Place, RoleKind
from civic.selectors import role_paths, under_paths
from forums.backoffice import (
    CodeBatchQueue,
    CodeLettersView,
    CodesDownloadView,
    CodesView,
    IdeaQueue,
    IdeaReviewView,
    MembershipQueue,
    MembersView,
    ModerateView,
    ProposalQueue,
    ProposalStatusView,
    ReportQueue,
)
from forums.models import (
    Forum,
    IdeaStatus,
    MembershipStatus,
)


def work_for(user) -> dict:
    """The places, forums and cycles where `user` has back-office work, with counts."""
    everything = user.is_superuser

    def scope(kinds, field):
        return Q() if everything else under_paths(role_paths(user, kinds), field)

    org, cllr, off = RoleKind.ORGANISER, RoleKind.COUNCILLOR, RoleKind.OFFICER
    forums = (
        Forum.objects.filter(scope((org, cllr), "place__path"))
        .select_related("place")
        .annotate(
            ideas_waiting=Count(
                "ideas", filter=Q(ideas__status=IdeaStatus.SUBMITTED), distinct=True
            ),
            members_waiting=Count(
                "memberships",
                filter=Q(memberships__status=MembershipStatus.PENDING),
                distinct=True,
            ),
            reports_open=Count(
                "reports", filter=Q(reports__resolved_at__isnull=True), distinct=True
            ),
        )
        .order_by("name")
    )
    return {
        # Messages GOV.UK Notify could not deliver to the people of the officer's
        # places (an address that does not exist, a phone switched off for days).
        "undelivered": list(
            OutgoingEmail.objects.filter(
                scope((off,), "user__roles__place__path"),
                status__in=gov_notify.FAILED,
                user__isnull=False,
            )
            .select_related("user")
            .distinct()
            .order_by("-status_at")[:50]
        ),
        "forums": [
            {"forum": f, "organiser": user.has_perm("forums.review_ideas", f)}
            for f in forums
        ],
        "places": [
            {
                "place": p,
                "officer": user.has_perm("civic.change_rules", p),
                "councillor": user.has_perm("accountability.record_decision", p),
            }
            for p in Place.objects.filter(scope((cllr, off), "path")).order_by("path")
        ],
        "cycles": [
            {
                "cycle": c,
                "officer": user.has_perm("ballots.manage_cycle", c),
                "paper": user.has_perm("ballots.enter_paper", c),
            }
            for c in Cycle.objects.filter(scope((org, off), "place__path"))
            .filter(archived=False)
            .select_related("place")
            .order_by("-voting_start")
        ],
    }


class WorkIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "cms/admin/work_index.html"
    page_title = _l("Your work")
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **work_for(self.request.user)}


class WorkViewSet(ViewSet):
    """The back office's action views, mounted under /admin/work/."""

    name = "work"
    url_prefix = "work"
    icon = "tasks"
    menu_label = _l("Your work")

    def get_urlpatterns(self):
        return [
            path("", WorkIndexView.as_view(), name="index"),
            path("places/<slug:slug>/rules/", RulesView.as_view(), name="rules"),
            path(
                "places/<slug:slug>/boundaries/",
                BoundariesView.as_view(),
                name="boundaries",
            ),
            path("places/<slug:slug>/report/", ReportView.as_view(), name="report"),
            path("places/<slug:slug>/cil/", CilView.as_view(), name="cil"),
            path(
                "places/<slug:slug>/decisions/new/",
                DecisionEditView.as_view(),
                name="decision_new",
            ),
            path(
                "places/<slug:slug>/decisions/<int:pk>/edit/",
                DecisionEditView.as_view(),
                name="decision_edit",
            ),
            path(
                "decisions/<int:pk>/publish/",
                DecisionPublishView.as_view(),
                name="decision_publish",
            ),
            path("forums/<slug:slug>/members/", MembersView.as_view(), name="members"),
            path("forums/<slug:slug>/codes/", CodesView.as_view(), name="codes"),
            path(
                "codes/<int:pk>/letters/",
                CodeLettersView.as_view(),
                name="code_letters",
            ),
            path(
                "forums/<slug:slug>/codes/<int:pk>.<str:fmt>",
                CodesDownloadView.as_view(),
                name="codes_download",
            ),
            path(
                "ideas/<int:pk>/review/", IdeaReviewView.as_view(), name="idea_review"
            ),
            path(
                "proposals/<int:pk>/status/",
                ProposalStatusView.as_view(),
                name="proposal_status",
            ),
            path(
                "proposals/<int:pk>/milestone/",
                MilestoneView.as_view(),
                name="milestone",
            ),
            path("reports/<int:pk>/moderate/", ModerateView.as_view(), name="moderate"),
            path("cycles/<slug:slug>/phase/", PhaseView.as_view(), name="phase"),
            path("cycles/<slug:slug>/reopen/", ReopenView.as_view(), name="reopen"),
            path("cycles/<slug:slug>/paper/", PaperBallotView.as_view(), name="paper"),
        ]


class NeighbourhoodWork(ViewSetGroup):
    """The admin menu's "Neighbourhood work": "Your work", then each app's queues."""

    menu_label = _l("Neighbourhood work")
    menu_icon = "tasks"
    menu_order = 150
    items = (
        WorkViewSet,
        IdeaQueue,
        ProposalQueue,
        ReportQueue,
        MembershipQueue,
        CodeBatchQueue,
        DecisionQueue,
        MilestoneQueue,
        AuditQueue,
    )
