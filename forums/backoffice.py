"""Forum actions in the back office: members, codes, idea review, proposal status, moderation (base classes: civic/backoffice.py)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _l
from django.views.generic import TemplateView

from civic.backoffice import ActionFormView, WorkMixin
from forums import flows
from forums import selectors as forum_selectors
from forums import services as forum_services
from forums.forms import (
    CodeBatchForm,
    IdeaReviewForm,
    ModerateForm,
    TransitionForm,
)
from forums.models import (
    Forum,
    Idea,
    MembershipStatus,
    Proposal,
    Report,
    VerificationCodeBatch,
)
from forums.printing import codes_file
from forums.workflow import allowed_targets


class ForumWork(WorkMixin):
    model, related, lookup = Forum, ("place",), "slug"


class ProposalWork(WorkMixin):
    model, related = Proposal, ("forum__place", "category")
    intro_template = "cms/admin/work_proposal_intro.html"


class MembersView(ForumWork, TemplateView):
    perm = "forums.manage_members"
    action_label = _l("Membership requests")
    template_name = "cms/admin/work_members.html"

    def post(self, request, *args, **kwargs):
        flows.membership_decision(request, self.object)
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
    perm = "forums.manage_codes"
    action_label = _l("Verification codes")
    form_class = CodeBatchForm
    template_name = "cms/admin/work_codes.html"
    submit_label = _l("Generate codes")
    success_message = _l("Codes generated. Download them to print.")

    def perform(self, form):
        return forum_services.codes_generate(
            actor=self.request.user, forum=self.object, **form.cleaned_data
        )

    def get_success_url(self):
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
    perm = "forums.review_ideas"
    action_label = _l("Review idea")
    submit_label = _l("Save review")
    success_message = _l("Review saved.")
    intro_template = "cms/admin/work_idea_intro.html"

    model, related = Idea, ("forum__place", "author", "category")
    permission_via = "forum"

    def get_form(self, form_class=None):
        return IdeaReviewForm(self.request.POST or None, idea=self.object)

    def perform(self, form):
        return forum_services.idea_review(
            actor=self.request.user, idea=self.object, **form.service_kwargs()
        )

    def get_success_url(self):
        return reverse("queue_idea:index")


class ProposalStatusView(ProposalWork, ActionFormView):
    perm = "forums.transition_proposal"
    action_label = _l("Change proposal status")
    submit_label = _l("Change status")
    success_message = _l("Proposal updated.")

    def get_form(self, form_class=None):
        return TransitionForm(
            self.request.POST or None, targets=allowed_targets(self.object.status)
        )

    def perform(self, form):
        return forum_services.proposal_transition(
            actor=self.request.user,
            proposal=self.object,
            to=form.cleaned_data["to"],
            reason=form.cleaned_data["reason"],
        )

    def get_success_url(self):
        return reverse("queue_proposal:index")


class ModerateView(ActionFormView):
    perm = "forums.moderate"
    action_label = _l("Moderate report")
    form_class = ModerateForm
    submit_label = _l("Apply")
    success_message = _l("Done. The action is recorded in the moderation log.")
    intro_template = "cms/admin/work_report_intro.html"

    model, related = Report, ("forum__place", "comment", "proposal")
    permission_via = "forum"

    def perform(self, form):
        action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
        if action == "dismiss":
            return forum_services.report_dismiss(
                actor=self.request.user, report=self.object
            )
        return forum_services.moderate(
            actor=self.request.user,
            target=self.object.target,
            action=action,
            reason=reason,
        )

    def get_success_url(self):
        return reverse("queue_report:index")
