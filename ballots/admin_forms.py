"""Forms for the cycles' Wagtail back office."""

from django.utils.translation import gettext_lazy as _l

from civic.admin_permissions import ScopedForm

FROZEN_BALLOT = _l(
    "Voting has opened, so the budgets on the ballot are frozen, like the rules: "
    "they cannot be changed, added or removed. The dates and the description can "
    "still be edited."
)


class CycleAdminForm(ScopedForm):
    """A cycle's ballot (its budgets, and so the projects on them) is frozen from the
    moment voting opens, as its framework rules are: ballots already cast were cast
    on it."""

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
