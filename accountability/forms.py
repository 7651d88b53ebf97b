"""Forms for decisions and delivery. Money is entered in pounds, stored in pence."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_lazy as _l

from ballots.models import Cycle
from civic.models import Place, PublicBody
from civic.money import PoundsField
from civic.uploads import KeepsUploads
from forums.forms import clean_image
from forums.models import Proposal, ProposalStatus

from .models import Decision, GrantRecipient, VoteChoice


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = [
            "kind",
            "title",
            "text",
            "reasons",
            "conflicts",
            "decided_on",
            "cycle",
        ]
        widgets = {
            "decided_on": forms.DateInput(attrs={"type": "date"}),
            "text": forms.Textarea(attrs={"rows": 5}),
            "reasons": forms.Textarea(attrs={"rows": 5}),
            "conflicts": forms.Textarea(attrs={"rows": 2}),
        }

    proposal_ids = forms.ModelMultipleChoiceField(
        label=_l("Proposals this decision is about"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, place: Place, councillors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = Cycle.objects.filter(
            place__path__startswith=place.path
        ) | Cycle.objects.filter(place__path__in=place.ancestor_paths())
        self.fields["proposal_ids"].queryset = Proposal.objects.filter(
            forum__place__path__startswith=place.path,
            status__in=[
                ProposalStatus.SHORTLISTED,
                ProposalStatus.FUNDED,
                ProposalStatus.NOT_FUNDED,
                ProposalStatus.IN_DELIVERY,
                ProposalStatus.DELIVERED,
                ProposalStatus.PUBLISHED,
            ],
        ).order_by("title")
        self.fields["decided_on"].initial = timezone.localdate()
        self.councillors = list(councillors)
        choices = [("", _l("Not present")), *VoteChoice.choices]
        for c in self.councillors:
            self.fields[f"vote_{c.pk}"] = forms.ChoiceField(
                label=c.public_name, choices=choices, required=False
            )
            self.fields[f"interest_{c.pk}"] = forms.CharField(
                label=_l("Interest declared"), required=False, max_length=300
            )

    def vote_rows(self):
        return [
            (c, self[f"vote_{c.pk}"], self[f"interest_{c.pk}"])
            for c in self.councillors
        ]

    def votes(self):
        return [
            (
                c,
                self.cleaned_data[f"vote_{c.pk}"],
                self.cleaned_data.get(f"interest_{c.pk}", ""),
            )
            for c in self.councillors
            if self.cleaned_data.get(f"vote_{c.pk}")
        ]


class MilestoneForm(KeepsUploads, forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    planned_date = forms.DateField(
        label=_("Planned date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    actual_date = forms.DateField(
        label=_("Actual date (when done)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    percent_done = forms.IntegerField(
        label=_("Percentage done"), min_value=0, max_value=100, initial=0
    )
    update = forms.CharField(
        label=_("Update for residents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    photo = forms.ImageField(label=_("Photo (optional)"), required=False)
    completes = forms.BooleanField(
        label=_("This completes the project: mark it delivered"),
        required=False,
        help_text=_("Only with the milestone at 100%."),
    )

    def clean_photo(self):
        return clean_image(self.cleaned_data.get("photo"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("completes") and cleaned.get("percent_done") != 100:
            self.add_error(
                "completes",
                _("A project is delivered when its last milestone is at 100%."),
            )
        return cleaned

    def milestone_data(self) -> dict:
        """What `delivery.milestone_post` takes: the photo only when one was sent."""
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("photo", "completes")
        }
        if self.cleaned_data.get("photo"):
            data["photo"] = self.cleaned_data["photo"]
        return data


class BenefitForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Body that benefits"), queryset=None)
    note = forms.CharField(label=_("How it benefits"), max_length=500)
    value = PoundsField(label=_("Estimated value (£, optional)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = PublicBody.objects.all()


class RecipientForm(forms.ModelForm):
    """The organisation a funded project's grant goes to (360Giving's recipient)."""

    class Meta:
        model = GrantRecipient
        fields = ["name", "charity_number", "company_number", "award_date"]
        widgets = {
            "award_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        }
        help_texts = {
            "charity_number": _("As on the Charity Commission's register, if any."),
            "company_number": _("As on Companies House, if any."),
        }
