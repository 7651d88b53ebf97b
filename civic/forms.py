"""Forms for the civic pages. Money is entered in pounds and stored in pence."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import (
    POSTCODE_RE,
    BallotMethod,
    Category,
    FrameworkRules,
    ShortlistMethod,
    TallyRule,
    User,
    VerificationMethod,
    VotingScope,
    normalise_postcode,
)
from .money import PoundsField, pence

INHERIT = ("", _("Inherit from above"))
TRI_STATE = [INHERIT, ("yes", _("Yes")), ("no", _("No"))]


class FrameworkRulesForm(forms.Form):
    """A place's own rules: every field may be left to inherit, and may be locked."""

    min_age = forms.IntegerField(
        label=_("Minimum age"), required=False, min_value=0, max_value=120
    )
    residency_required = forms.ChoiceField(
        label=_("Residency required"), choices=TRI_STATE, required=False
    )
    verification_methods = forms.MultipleChoiceField(
        label=_("Ways residents may verify (none ticked: inherit)"),
        choices=VerificationMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    project_cost_min = PoundsField(label=_("Minimum project cost (£)"))
    project_cost_max = PoundsField(
        label=_("Maximum project cost (£)"), min_value=Decimal("0.01")
    )
    max_share_percent = forms.IntegerField(
        label=_("Maximum share of the budget per project (%)"),
        required=False,
        min_value=1,
        max_value=100,
    )
    ballot_method = forms.ChoiceField(
        label=_("Ballot method"),
        choices=[INHERIT, *BallotMethod.choices],
        required=False,
    )
    min_choices = forms.IntegerField(
        label=_("Minimum choices"), required=False, min_value=0
    )
    max_choices = forms.IntegerField(
        label=_("Maximum choices"), required=False, min_value=1
    )
    min_spend_percent = forms.IntegerField(
        label=_("Minimum spend on a budget ballot (%)"),
        required=False,
        min_value=0,
        max_value=100,
    )
    points_per_voter = forms.IntegerField(
        label=_("Points per voter"), required=False, min_value=1, max_value=1000
    )
    max_ranked = forms.IntegerField(
        label=_("Projects a voter may rank"), required=False, min_value=1, max_value=50
    )
    tally_rule = forms.ChoiceField(
        label=_("Counting rule"), choices=[INHERIT, *TallyRule.choices], required=False
    )
    live_results = forms.ChoiceField(
        label=_("Live results while voting"), choices=TRI_STATE, required=False
    )
    live_results_every = forms.IntegerField(
        label=_("Minutes between live-results batches (0: every 20 ballots)"),
        required=False,
        min_value=0,
        max_value=1440,
    )
    allow_replacement = forms.ChoiceField(
        label=_("Voters may replace their ballot"), choices=TRI_STATE, required=False
    )
    randomise_order = forms.ChoiceField(
        label=_("Random ballot order per voter"), choices=TRI_STATE, required=False
    )
    voting_scope = forms.ChoiceField(
        label=_("Neighbourhood budgets a resident votes in"),
        choices=[INHERIT, *VotingScope.choices],
        required=False,
    )
    supports_phase = forms.ChoiceField(
        label=_("Residents build the shortlist with their supports"),
        choices=TRI_STATE,
        required=False,
    )
    supports_per_resident = forms.IntegerField(
        label=_("Supports per resident"), required=False, min_value=1, max_value=100
    )
    shortlist_method = forms.ChoiceField(
        label=_("How the shortlist is built from supports"),
        choices=[INHERIT, *ShortlistMethod.choices],
        required=False,
    )
    shortlist_size = forms.IntegerField(
        label=_("Proposals shortlisted per budget (most supported; ties go through)"),
        required=False,
        min_value=1,
        max_value=500,
    )
    shortlist_threshold = forms.IntegerField(
        label=_("Supports a proposal needs to be shortlisted"),
        required=False,
        min_value=0,
    )
    set_ring_fences = forms.BooleanField(
        label=_("Set ring-fences here (otherwise inherit them)"), required=False
    )
    locked_fields = forms.MultipleChoiceField(
        label=_("Lock for places below"),
        choices=[
            (name, capfirst(FrameworkRules._meta.get_field(name).verbose_name))
            for name in FrameworkRules.INHERITABLE
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    MONEY = {
        "project_cost_min": "project_cost_min_pence",
        "project_cost_max": "project_cost_max_pence",
    }
    TRI = (
        "residency_required",
        "live_results",
        "allow_replacement",
        "randomise_order",
        "supports_phase",
    )

    def __init__(self, *args, instance: FrameworkRules | None = None, **kwargs):
        self.categories = list(Category.objects.all())
        initial = kwargs.pop("initial", {}) or {}
        if instance is not None:
            initial.update(self.initial_from(instance))
        super().__init__(*args, initial=initial, **kwargs)
        for category in self.categories:
            self.fields[f"ring_fence_{category.slug}"] = PoundsField(
                label=_("Ring-fence for %(c)s (£)") % {"c": category.name}
            )

    def initial_from(self, rules: FrameworkRules) -> dict:
        data = {}
        for name in FrameworkRules.INHERITABLE:
            value = getattr(rules, name)
            if name in self.TRI:
                data[name] = "" if value is None else ("yes" if value else "no")
            elif name in self.MONEY.values():
                form_name = next(k for k, v in self.MONEY.items() if v == name)
                data[form_name] = None if value is None else Decimal(value) / 100
            elif name == "ring_fences":
                data["set_ring_fences"] = value is not None
                for slug, amount in (value or {}).items():
                    data[f"ring_fence_{slug}"] = Decimal(amount) / 100
            else:
                data[name] = value if value is not None else ""
        data["locked_fields"] = rules.locked_fields
        return data

    def ring_fence_fields(self):
        return [self[f"ring_fence_{c.slug}"] for c in self.categories]

    def to_values(self) -> dict:
        """The cleaned data as model values: None means inherit."""
        cd = self.cleaned_data
        values = {}
        for name in FrameworkRules.INHERITABLE:
            if name in self.TRI:
                values[name] = {"": None, "yes": True, "no": False}[cd.get(name) or ""]
            elif name in self.MONEY.values():
                form_name = next(k for k, v in self.MONEY.items() if v == name)
                values[name] = pence(cd.get(form_name))
            elif name == "verification_methods":
                values[name] = list(cd.get(name) or []) or None
            elif name == "ring_fences":
                if cd.get("set_ring_fences"):
                    values[name] = {
                        c.slug: pence(cd[f"ring_fence_{c.slug}"])
                        for c in self.categories
                        if cd.get(f"ring_fence_{c.slug}")
                    }
                else:
                    values[name] = None
            else:
                value = cd.get(name)
                values[name] = None if value in ("", None) else value
        return values

    def add_model_errors(self, error) -> None:
        """Show a ValidationError from the rules service next to the right fields."""
        reverse_money = {v: k for k, v in self.MONEY.items()}
        for name, messages in error.message_dict.items():
            field = reverse_money.get(name, name)
            if field == "ring_fences":
                field = "set_ring_fences"
            if field not in self.fields:
                field = None
            for message in messages:
                self.add_error(field, message)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "display_name",
            "postcode",
            "year_of_birth",
            "notify_replies",
            "notify_proposal_comments",
            "notify_forum_updates",
            "notify_receipt",
            "text_receipt",
            "text_reminders",
            "language",
        ]

    def __init__(self, *args, can_text: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_text:  # texts only to a proved number, through GOV.UK Notify
            del self.fields["text_receipt"], self.fields["text_reminders"]

    def clean_postcode(self):

        value = normalise_postcode(self.cleaned_data.get("postcode", ""))
        if value and not POSTCODE_RE.match(value):
            raise forms.ValidationError(_("Enter a full UK postcode, such as NB1 2AA."))
        return value

    def clean_year_of_birth(self):
        from django.utils import timezone

        year = self.cleaned_data.get("year_of_birth")
        this_year = timezone.localdate().year
        if year is not None and not (this_year - 120 <= year <= this_year):
            raise forms.ValidationError(
                _("Enter a year between %(a)s and %(b)s.")
                % {"a": this_year - 120, "b": this_year}
            )
        return year


class PostcodeForm(forms.Form):
    postcode = forms.CharField(label=_("Your postcode"), max_length=10)

    def clean_postcode(self):

        value = normalise_postcode(self.cleaned_data["postcode"])
        if not POSTCODE_RE.match(value):
            raise forms.ValidationError(_("Enter a full UK postcode, such as NB1 2AA."))
        return value


class BoundaryForm(forms.Form):
    file = forms.FileField(
        label=_("GeoJSON file"),
        help_text=_(
            "One Polygon or MultiPolygon for this place, or a FeatureCollection whose "
            "features carry the official (GSS) code or the name of this place and the "
            "places inside it. Coordinates in WGS 84 longitude and latitude; at most "
            "5 MB."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".geojson,.json,application/geo+json,application/json"}
        ),
    )
    valid_from = forms.DateField(
        label=_("In force from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "For a boundary change, the day the new boundaries take effect (often the "
            "day of the next local elections): earlier boundaries are kept for the "
            "votes run under them. Leave empty to record the first boundaries, or to "
            "correct the ones in force today."
        ),
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=200,
        help_text=_("E.g. the boundary order. The file's name if left empty."),
    )


UK_MOBILE = re.compile(r"(?:\+44|0044|0)(7\d{9})")


class MobileForm(forms.Form):
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        help_text=_("A UK mobile number. We text it a code to check it is yours."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_mobile(self):
        compact = re.sub(r"[\s().-]", "", self.cleaned_data["mobile"])
        found = UK_MOBILE.fullmatch(compact)
        if not found:
            raise forms.ValidationError(
                _("Enter a UK mobile number, such as 07700 900123.")
            )
        return "+44" + found.group(1)


class MobileCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the text"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


class AddressListForm(forms.Form):
    file = forms.FileField(
        label=_("Address list (CSV)"),
        help_text=_(
            "One address a row, with a header row naming the columns address_line_1 "
            "to address_line_7 (as GOV.UK Notify's own lists): 3 to 7 lines, the last "
            "the postcode. One code of this batch goes to each address; at most 5,000."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
