"""The forum's staff actions (base and how they are run: civic/flows.py): deciding a
membership request, generating verification codes, reviewing an idea, moving a
proposal on, moderating. The forum's pages and the back office both run these."""

from __future__ import annotations

from django.utils.translation import gettext as _

from civic import letters
from civic.flows import StaffAction, refusal_messages
from civic.forms import AddressListForm
from forums import services
from forums.models import Report
from forums.services import residency_codes
from forums.staff_forms import (
    CodeBatchForm,
    IdeaReviewForm,
    MembershipDecisionForm,
    ModerateForm,
    TransitionForm,
)
from forums.workflow import BY_THE_AUTHOR, allowed_targets


class MembershipDecision(StaffAction):
    """An organiser approves or turns down a membership request (on the forum)."""

    perm = "forums.manage_members"

    def get_form(self, forum, data=None, files=None, **kwargs):
        return MembershipDecisionForm(data, forum=forum, **kwargs)

    def perform(self, actor, forum, form):
        membership = form.cleaned_data["membership"]
        services.membership_decide(
            actor=actor,
            membership=membership,
            approve=form.cleaned_data["decision"] == "approve",
        )
        return membership

    def done_message(self, forum, membership, form):
        if form.cleaned_data["decision"] == "approve":
            return _("%(u)s is now a member.") % {"u": membership.user}
        return _("%(u)s was turned down.") % {"u": membership.user}


class CodesGenerate(StaffAction):
    """An organiser generates a batch of verification codes to post (on the forum)."""

    perm = "forums.manage_codes"
    form_class = CodeBatchForm

    def perform(self, actor, forum, form):
        return residency_codes.generate(actor=actor, forum=forum, **form.cleaned_data)

    def done_message(self, forum, batch, form):
        return _("Codes generated. Download them to print.")


class CodeLetters(StaffAction):
    """An organiser posts a batch's codes as letters through GOV.UK Notify, one to
    each address of an uploaded list (on the batch)."""

    perm = "forums.manage_codes"
    form_class = AddressListForm

    def permission_object(self, batch):
        return batch.forum

    def perform(self, actor, batch, form):
        return residency_codes.post_letters(
            actor=actor,
            batch=batch,
            addresses=letters.parse_addresses(form.cleaned_data["file"].read()),
        )

    def refused(self, form, error):
        form.add_error("file", refusal_messages(error)[0])

    def done_message(self, batch, n, form):
        return _("%(n)s letters are on their way to GOV.UK Notify.") % {"n": n}


class IdeaReview(StaffAction):
    """An organiser reviews a resident's idea: accept (with a costing), ask for
    changes, merge or reject. Returns the proposal made, or the idea."""

    perm = "forums.review_ideas"

    def permission_object(self, idea):
        return idea.forum

    def get_form(self, idea, data=None, files=None, **kwargs):
        # The resident's rough cost is where the official estimate starts.
        rough = (idea.rough_cost_pence or 0) / 100 or None
        return IdeaReviewForm(data, idea=idea, initial={"cost": rough}, **kwargs)

    def perform(self, actor, idea, form):
        return services.idea_review(actor=actor, idea=idea, **form.service_kwargs())

    def done_message(self, idea, result, form):
        return _("Review saved.")


class ProposalTransition(StaffAction):
    """An organiser or officer moves a proposal to a status its workflow allows."""

    perm = "forums.transition_proposal"

    def targets_for(self, user, proposal) -> list[str]:
        """The moves `user` may make: the workflow's, or only the author's own (such
        as withdrawing) for an author who may not edit the proposal."""
        targets = allowed_targets(proposal.status)
        if not user.has_perm("forums.edit_proposal", proposal):
            targets = [t for t in targets if (proposal.status, t) in BY_THE_AUTHOR]
        return targets

    def get_form(self, proposal, data=None, files=None, targets=None, **kwargs):
        if targets is None:
            targets = allowed_targets(proposal.status)
        return TransitionForm(data, targets=targets, **kwargs)

    def perform(self, actor, proposal, form):
        return services.proposal_transition(
            actor=actor,
            proposal=proposal,
            to=form.cleaned_data["to"],
            reason=form.cleaned_data["reason"],
        )

    def done_message(self, proposal, result, form):
        return _("Proposal updated.")


class Moderate(StaffAction):
    """A moderator hides, restores, locks or unlocks a comment, proposal or topic. On
    a report: dismiss it, or take the action on what it reports (which resolves it)."""

    perm = "forums.moderate"
    form_class = ModerateForm

    def permission_object(self, target):
        return target.forum

    def perform(self, actor, target, form):
        action = form.cleaned_data["action"]
        if isinstance(target, Report):
            if action == "dismiss":
                return services.report_dismiss(actor=actor, report=target)
            target = target.target
        return services.moderate(
            actor=actor,
            target=target,
            action=action,
            reason=form.cleaned_data["reason"],
        )

    def done_message(self, target, result, form):
        return _("Done. The action is recorded in the moderation log.")
