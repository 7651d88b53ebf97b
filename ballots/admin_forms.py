"""Forms for the cycles' Wagtail back office."""

from django.utils.translation import gettext_lazy as _l

from civic.admin_permissions import ScopedForm
from civic.models import Budget

from .models import Cycle

FROZEN_BALLOT = _l(
    "Voting has opened, so the budgets on the ballot are frozen, like the rules: "
    "they cannot be changed, added or removed. The dates and the description can "
    "still be edited."
)


class CycleAdminForm(ScopedForm):
    """A cycle's ballot (its budgets, and so the projects on them) is frozen from the
    moment voting opens, as its framework rules are: ballots already cast were cast
    on it."""

    def scope_child(self, form) -> None:
        """A budget on the ballot: only the cycle's place and the places below it,
        and their budgets (within the user's own places)."""
        super().scope_child(form)
        if self.instance.place_id and "place" in form.fields:
            form.fields["place"].queryset = form.fields["place"].queryset.filter(
                path__startswith=self.instance.place.path
            )
        if "budget" not in form.fields:
            return
        budgets = Budget.objects.select_related("place")
        if self.places is not None:
            budgets = budgets.filter(place__in=self.places)
        if self.instance.place_id:
            budgets = budgets.filter(place__path__startswith=self.instance.place.path)
        form.fields["budget"].queryset = budgets

    def clean(self):
        cleaned = super().clean()
        place = cleaned.get("place")
        sections = self.formsets.get("sections")
        for form in sections.forms if sections is not None else []:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or not data.get("place"):
                continue
            if place is not None and not data["place"].path.startswith(place.path):
                form.add_error(
                    "place",
                    _l("%(p)s is not in %(c)s, the cycle's place.")
                    % {"p": data["place"].name, "c": place.name},
                )
            budget = data.get("budget")
            if budget is not None and budget.place_id != data["place"].pk:
                form.add_error(
                    "budget",
                    _l("%(b)s is %(o)s's budget, not %(p)s's.")
                    % {
                        "b": budget.name,
                        "o": budget.place.name,
                        "p": data["place"].name,
                    },
                )
        return cleaned

    @property
    def ballot_frozen(self) -> bool:
        return self.instance.pk is not None and self.instance.frozen_rules is not None

    def is_valid(self):
        valid = super().is_valid()
        sections = self.formsets.get("sections")
        if not self.ballot_frozen or sections is None:
            return valid
        altered = sections.total_form_count() != sections.initial_form_count() or any(
            form.has_changed() for form in sections.forms
        )
        if altered:
            self.add_error(None, FROZEN_BALLOT)
            return False
        return valid


class PollingPointAdminForm(ScopedForm):
    """A polling point serves votes of the officer's own places, not yet over, and
    its point on the map is both coordinates or neither."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "cycles" in self.fields:
            cycles = Cycle.objects.filter(archived=False).select_related("place")
            if self.places is not None:
                cycles = cycles.filter(place__in=self.places)
            self.fields["cycles"].queryset = cycles
