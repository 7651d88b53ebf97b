"""Parsing ballot forms (which work without JavaScript) into choices per section."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from civic.models import POSTCODE_RE, normalise_postcode

from .lifecycle import offered_phases
from .models import Phase
from .services.polling import EVIDENCE
from .validation import BallotInvalid


def submitted_ballot(post, method: str, sections: list) -> dict[str, object]:
    """What the voter sent, as they sent it, to show the ballot again after an error:
    {section id: [codes]} for ticks, {section id: {code: "typed value"}} for points
    and ranks (a rank or points that could not be read are shown as typed)."""
    shown: dict[str, object] = {}
    for entry in sections:
        sid = entry["section"].pk
        if method in ("approval", "knapsack"):
            shown[str(sid)] = [c for c in post.getlist(f"s{sid}") if c]
            continue
        key = "p" if method == "points" else "r"
        shown[str(sid)] = {
            p.code: value
            for p in entry["projects"]
            if (value := (post.get(f"s{sid}_{key}_{p.code}") or "").strip())
        }
    return shown


def parse_ballot(post, method: str, sections: list) -> dict[str, object]:
    """POST data → {section id: choices}. Unreadable input becomes a clear error."""
    choices: dict[str, object] = {}
    errors: list[str] = []
    unreadable = {
        "points": _("Points must be whole numbers."),
        "ranked": _("Ranks must be numbers."),
    }.get(method)
    for sid, sent in submitted_ballot(post, method, sections).items():
        if isinstance(sent, list):  # ticks
            choices[sid] = sent
            continue
        numbers = {}
        for code, raw in sent.items():
            try:
                numbers[code] = int(raw)
            except ValueError:
                errors.append(unreadable)
        if method == "points":
            choices[sid] = numbers
            continue
        if len(set(numbers.values())) != len(numbers):
            errors.append(_("Give each ranked project a different number."))
        choices[sid] = [
            code for code, _r in sorted(numbers.items(), key=lambda kv: kv[1])
        ]
    if errors:
        raise BallotInvalid(sorted(set(errors)))
    return choices


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_l("Receipt code"),
        max_length=40,
        help_text=_l(
            "The code you were given when you voted, like ABCD-EFGH-JKLM-NPQR."
        ),
    )


class PhaseForm(forms.Form):
    """The phases the cycle may move to next (ballots/lifecycle.py), and the
    confirmation that a move which cannot be taken back was read and meant."""

    phase = forms.ChoiceField(label=_l("Move to phase"), choices=Phase.choices)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, cycle, **kwargs):

        super().__init__(data, **kwargs)
        # The menu offers the allowed moves; any other is refused by the state
        # machine in words (ballots/lifecycle.check_move), not as "not a choice".
        self.next_phases = [(p, Phase(p).label) for p in offered_phases(cycle)]
        self.fields["phase"].widget.choices = self.next_phases


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_l("Why voting is re-opened (shown publicly on the cycle)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
    closes_at = forms.DateTimeField(
        label=_l("Voting now closes at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_l("Day and time, in UK time."),
    )


class FenceWaiverForm(forms.Form):
    """Accepting, before voting opens, that one ring-fence cannot be met."""

    fence = forms.ChoiceField(label=_l("Ring-fence"))
    reason = forms.CharField(
        label=_l("Why it is accepted (shown on the results)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )

    def __init__(self, data=None, *, shortfalls, **kwargs):
        super().__init__(data, **kwargs)
        self.shortfalls = {
            f"{s.pk}:{slug}": (s, slug, m, a) for s, slug, m, a in shortfalls
        }
        self.fields["fence"].choices = [
            (key, f"{s.place.name}: {slug}")
            for key, (s, slug, _m, _a) in self.shortfalls.items()
        ]


class PaperVoterForm(forms.Form):
    email = forms.EmailField(
        label=_l("Voter's email (verified member)"), required=False
    )
    code = forms.CharField(
        label=_l("Or their voting code or verification code"),
        required=False,
        max_length=20,
    )


class RecountForm(forms.Form):
    file = forms.FileField(
        label=_l("A Pabulib .pb file (optional: the published one is used otherwise)"),
        required=False,
    )


class VotingCodeForm(forms.Form):
    code = forms.CharField(
        label=_l("Your voting code"),
        max_length=20,
        help_text=_l("Ten letters and numbers, as printed on your letter."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters"}
        ),
    )


class VotingCodeBatchForm(forms.Form):
    place = forms.ModelChoiceField(
        label=_l("Where the letters go"),
        queryset=None,
        help_text=_l("Decides which budgets the code's ballot shows."),
    )
    count = forms.IntegerField(label=_l("How many codes"), min_value=1, max_value=5000)
    note = forms.CharField(label=_l("Note (optional)"), max_length=200, required=False)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class RevokeCodeForm(forms.Form):
    code = forms.CharField(label=_l("Code to cancel"), max_length=20)


class DeskRegisterForm(forms.Form):
    """A person not yet on the register, checked at a polling point's desk."""

    name = forms.CharField(label=_l("Their name"), max_length=150)
    email = forms.EmailField(
        label=_l("Their email"),
        help_text=_l(
            "Their account is made with it, with no password: they can set one with "
            "“Forgotten your password?” to take part online."
        ),
    )
    postcode = forms.CharField(label=_l("Their postcode"), max_length=10)
    year_of_birth = forms.IntegerField(
        label=_l("Their year of birth"), min_value=1900, max_value=2100
    )
    evidence = forms.ChoiceField(
        label=_l("What shows where they live"),
        choices=[],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = list(EVIDENCE.items())

    def clean_postcode(self):
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        if not POSTCODE_RE.match(postcode):
            raise forms.ValidationError(_l("Enter a UK postcode, e.g. NB1 2AB."))
        return postcode
