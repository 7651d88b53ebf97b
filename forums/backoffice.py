"""Forum actions in the back office: members, codes, idea review, proposal status, moderation (base classes: civic/backoffice.py)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _l
from django.views.generic import TemplateView

from civic.backoffice import ActionFormView, WorkMixin
from civic.flows import run, tell_errors
from forums import flows
from forums import selectors as forum_selectors
from forums.models import (
    Forum,
    Idea,
    MembershipStatus,
    Proposal,
    Report,
    VerificationCodeBatch,
)
from forums.printing import codes_file


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


class CodesDownloadView(ForumWork, TemplateView):
    perm = "forums.manage_codes"

    def get(self, request, *args, **kwargs):
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
