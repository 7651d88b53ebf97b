"""Forum actions in the back office: members, codes, idea review, proposal status, moderation (base classes: civic/backoffice.py)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _l
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column

from civic import gov_notify, letters
from civic.backoffice import ActionFormView, WorkMixin
from civic.flows import run, tell_errors
from civic.money import pounds
from civic.work_queues import QueueViewSet, RowAction
from forums import flows
from forums import selectors as forum_selectors
from forums.models import (
    Forum,
    Idea,
    IdeaStatus,
    Membership,
    MembershipStatus,
    Proposal,
    Report,
    VerificationCodeBatch,
)
from forums.printing import codes_file
from forums.workflow import DELIVERABLE, allowed_targets


class ForumWork(WorkMixin):
    model, related, lookup = Forum, ("place",), "slug"


class ProposalWork(WorkMixin):
    model, related = Proposal, ("forum__place", "category")
    intro_template = "cms/admin/work_proposal_intro.html"


class MembersView(ForumWork, TemplateView):
    action = flows.MembershipDecision()
    perm = action.perm
    action_label = _l("Membership requests")
    template_name = "cms/admin/work_members.html"

    def post(self, request, *args, **kwargs):
        tell_errors(request, run(self.action, request, self.object))
        return redirect("work:members", slug=self.object.slug)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "pending": forum_selectors.pending_members(self.object),
            "member_count": self.object.memberships.filter(
                status=MembershipStatus.VERIFIED
            ).count(),
        }


class CodesView(ForumWork, ActionFormView):
    action = flows.CodesGenerate()
    action_label = _l("Verification codes")
    template_name = "cms/admin/work_codes.html"
    submit_label = _l("Generate codes")

    def get_success_url(self, result):
        return reverse("work:codes", args=[self.object.slug])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["batches"] = forum_selectors.code_batches(self.object)
        return context


class CodeLettersView(ActionFormView):
    """A batch's codes posted as letters through GOV.UK Notify, and each letter's
    status until Royal Mail has it."""

    action = flows.CodeLetters()
    action_label = _l("Letters by post")
    template_name = "cms/admin/work_code_letters.html"
    submit_label = _l("Send the letters")
    model, related = VerificationCodeBatch, ("forum__place",)

    def get_success_url(self, result):
        return self.request.get_full_path()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notify"] = gov_notify.enabled()
        context["letters"] = letters.letters_for(self.object)
        return context


class CodesDownloadView(ForumWork, TemplateView):
    """The codes of a batch, downloaded (and logged) by a button: POST only."""

    perm = flows.CodesGenerate.perm
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        batch = get_object_or_404(
            VerificationCodeBatch, pk=self.kwargs["pk"], forum=self.object
        )
        return codes_file(request.user, batch, self.kwargs["fmt"])


class IdeaReviewView(ActionFormView):
    action = flows.IdeaReview()
    action_label = _l("Review idea")
    submit_label = _l("Save review")
    intro_template = "cms/admin/work_idea_intro.html"
    model, related = Idea, ("forum__place", "author", "category")

    def get_success_url(self, result):
        return reverse("queue_idea:index")


class ProposalStatusView(ProposalWork, ActionFormView):
    action = flows.ProposalTransition()
    action_label = _l("Change proposal status")
    submit_label = _l("Change status")

    def get_success_url(self, result):
        return reverse("queue_proposal:index")


class ModerateView(ActionFormView):
    action = flows.Moderate()
    action_label = _l("Moderate report")
    submit_label = _l("Apply")
    intro_template = "cms/admin/work_report_intro.html"
    model, related = Report, ("forum__place", "comment", "proposal")

    def get_success_url(self, result):
        return reverse("queue_report:index")


# Work queues (what they share: civic/work_queues.py) --------------------------------


def _waiting(idea) -> bool:
    return idea.status in (IdeaStatus.SUBMITTED, IdeaStatus.CHANGES_REQUESTED)


def _can_move(proposal) -> bool:
    return bool(allowed_targets(proposal.status))


def _deliverable(proposal) -> bool:
    return proposal.status in DELIVERABLE


def _open(report) -> bool:
    return report.resolved_at is None


def _pending(membership) -> bool:
    return membership.status == MembershipStatus.PENDING


class IdeaQueue(QueueViewSet):
    model, icon, menu_label = Idea, "doc-full", _l("Ideas")
    path_field = "forum__place__path"
    columns = ("title", "status", "forum", "created_at")
    list_filter, search_fields = ["status", "forum"], ["title"]
    row_actions = (
        RowAction(
            _l("Review"),
            "work:idea_review",
            of="forum",
            when=_waiting,
        ),
    )


class ProposalQueue(QueueViewSet):
    model, icon, menu_label = Proposal, "doc-full-inverse", _l("Proposals")
    path_field = "forum__place__path"
    columns = (
        "title",
        "status",
        "forum",
        Column("cost", label=_l("Cost"), accessor=lambda p: pounds(p.cost_pence)),
        "published_at",
    )
    list_filter, search_fields = ["status", "forum"], ["title"]
    row_actions = (
        RowAction(
            _l("Change status"),
            "work:proposal_status",
            when=_can_move,
        ),
        # Delivery milestones are accountability's: the button points at its view.
        RowAction(
            _l("Post milestone"),
            "work:milestone",
            when=_deliverable,
        ),
    )


class ReportQueue(QueueViewSet):
    model, icon, menu_label = Report, "warning", _l("Reports")
    path_field = "forum__place__path"
    columns = ("reason", "forum", "created_at", "resolved_at")
    list_filter = ["resolution", "forum"]
    row_actions = (RowAction(_l("Moderate"), "work:moderate", of="forum", when=_open),)


class MembershipQueue(QueueViewSet):
    model, icon, menu_label = Membership, "group", _l("Members")
    path_field = "forum__place__path"
    columns = ("user", "forum", "status", "method", "verified_at")
    list_filter = ["status", "method"]
    row_actions = (
        RowAction(
            _l("Approve or turn down"),
            "work:members",
            args=("forum.slug",),
            of="forum",
            when=_pending,
        ),
    )


class CodeBatchQueue(QueueViewSet):
    model, icon, menu_label = VerificationCodeBatch, "key", _l("Code batches")
    path_field = "forum__place__path"
    columns = ("forum", "created_at", "expires_at", "note")
    row_actions = (
        RowAction(
            _l("Generate or download"),
            "work:codes",
            args=("forum.slug",),
            of="forum",
        ),
    )
