"""Decisions and delivery as staff actions (base and how they are run:
civic/flows.py): recording a decision's draft, publishing its notice, posting a
delivery milestone. The public pages and the back office both run these."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accountability import delivery
from accountability.forms import DecisionForm, MilestoneForm
from accountability.models import DecisionKind
from accountability.services import councillors_for, decision_publish, decision_save
from civic.flows import StaffAction


class DecisionSave(StaffAction):
    """A councillor or officer records a decision for a place as a draft: a new one,
    an amendment to a published one (`amends`), or changes to an unpublished draft
    (`decision`). Returns the saved draft."""

    perm = "accountability.record_decision"

    def __init__(self, decision=None, amends=None):
        self.decision, self.amends = decision, amends

    def get_form(self, place, data=None, files=None, **kwargs):
        initial = {}
        if self.decision is not None:
            for v in self.decision.votes.all():
                initial[f"vote_{v.councillor_id}"] = v.vote
                initial[f"interest_{v.councillor_id}"] = v.interest_declared
            initial["proposal_ids"] = list(
                self.decision.proposals.values_list("pk", flat=True)
            )
        elif self.amends is not None:
            initial = {
                "kind": DecisionKind.AMEND,
                "title": _("Amendment to %(r)s") % {"r": self.amends.reference},
                "cycle": self.amends.cycle_id,
            }
        return DecisionForm(
            data,
            instance=self.decision,
            place=place,
            councillors=councillors_for(place),
            initial=initial,
            **kwargs,
        )

    def perform(self, actor, place, form):
        return decision_save(
            actor=actor,
            place=place,
            data={k: form.cleaned_data[k] for k in DecisionForm.Meta.fields},
            votes=form.votes(),
            proposals=form.cleaned_data["proposal_ids"],
            amends=self.amends,
            decision=self.decision,
        )

    def done_message(self, place, decision, form):
        return _("Draft saved. Check it, then publish the notice.")


class DecisionPublish(StaffAction):
    """Publish a draft's decision notice: it gets its reference, can no longer be
    changed, and residents following the forum are told."""

    perm = "accountability.record_decision"

    def permission_object(self, decision):
        return decision.place

    def perform(self, actor, decision, form):
        return decision_publish(actor=actor, decision=decision)

    def done_message(self, decision, result, form):
        return _("Published. Residents following the forum are told by email.")


class MilestonePost(StaffAction):
    """An organiser or officer posts a delivery milestone of a funded proposal."""

    perm = "accountability.post_milestone"
    form_class = MilestoneForm

    def perform(self, actor, proposal, form):
        return delivery.milestone_post(
            actor=actor,
            proposal=proposal,
            data=form.milestone_data(),
            completes=form.cleaned_data["completes"],
        )

    def done_message(self, proposal, milestone, form):
        if form.cleaned_data["completes"]:
            return _("Milestone posted. The project is now delivered.")
        return _("Milestone posted.")
