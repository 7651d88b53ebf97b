"""The forms organisers and moderators fill in: reviewing an idea, moving a proposal
on, moderating, deciding a membership request, generating verification codes. Each is
the form of one staff action in `forums.flows`, shown by the forum's pages and by the
back office alike."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civic.money import PoundsField

from .models import Idea, Membership, ProposalStatus


class MembershipDecisionForm(forms.Form):
    membership = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        error_messages={
            "invalid_choice": _("That membership request is not in this forum.")
        },
    )
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Turn down"))]
    )

    def __init__(self, *args, forum=None, **kwargs):
        super().__init__(*args, **kwargs)
        if forum is not None:
            self.fields["membership"].queryset = forum.memberships.select_related(
                "user"
            )


class IdeaReviewForm(forms.Form):
    ACTIONS = [
        ("accept", _("Turn into a proposal")),
        ("changes", _("Ask the author for changes")),
        ("merge", _("Merge into a similar idea")),
        ("reject", _("Do not take forward")),
    ]
    action = forms.ChoiceField(
        label=_("Decision"), choices=ACTIONS, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note (shown publicly; required to reject or ask for changes)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    merge_into = forms.ModelChoiceField(
        label=_("Merge into"), queryset=Idea.objects.none(), required=False
    )
    cost = PoundsField(label=_("Official cost estimate (£)"))
    feasibility_note = forms.CharField(
        label=_("Feasibility note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def __init__(self, *args, idea=None, **kwargs):
        super().__init__(*args, **kwargs)
        if idea is not None:
            self.fields["merge_into"].queryset = Idea.objects.filter(
                forum=idea.forum
            ).exclude(pk=idea.pk)

    def clean(self):
        data = super().clean()
        if data.get("action") == "accept" and data.get("cost") is None:
            self.add_error("cost", _("Give the official cost estimate."))
        if data.get("action") == "merge" and not data.get("merge_into"):
            self.add_error("merge_into", _("Choose the idea to merge into."))
        return data

    def service_kwargs(self) -> dict:
        """The arguments `services.idea_review` takes, from the cleaned form."""
        cd = self.cleaned_data
        return {
            "action": cd["action"],
            "note": cd["note"],
            "merge_into": cd["merge_into"],
            "proposal_data": {
                "cost_pence": None if cd["cost"] is None else int(cd["cost"] * 100),
                "feasibility_note": cd["feasibility_note"],
            },
        }


class TransitionForm(forms.Form):
    to = forms.ChoiceField(
        label=_("Move to"),
        error_messages={
            "required": _("Choose the status to move the proposal to."),
            "invalid_choice": _("That change is not possible for this proposal."),
        },
    )
    reason = forms.CharField(
        label=_("Reason (shown publicly)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(t, ProposalStatus(t).label) for t in targets]


class ModerateForm(forms.Form):
    action = forms.ChoiceField(
        error_messages={
            "required": _("Choose a moderation action."),
            "invalid_choice": _("Choose a moderation action."),
        },
        choices=[
            ("hide", _("Hide")),
            ("restore", _("Restore")),
            ("lock", _("Lock discussion")),
            ("unlock", _("Unlock discussion")),
            ("dismiss", _("Dismiss report")),
        ],
    )
    reason = forms.CharField(label=_("Public reason"), required=False, max_length=300)


class CodeBatchForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many codes"), min_value=1, max_value=5000, initial=100
    )
    days_valid = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=730, initial=90
    )
    note = forms.CharField(
        label=_("Note (e.g. which streets)"), required=False, max_length=200
    )
