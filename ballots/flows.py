"""The cycle's staff actions (base and how they are run: civic/flows.py): moving the
cycle to another phase, counting, and keying in a paper ballot. The cycle's pages and
the back office both run these."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from ballots import services
from ballots.forms import PaperVoterForm, PhaseForm, parse_ballot
from ballots.models import Phase
from civic.flows import StaffAction
from civic.models import User


class PhaseChange(StaffAction):
    """An officer moves the cycle to a phase by hand. Publishing results counts every
    ballot first, in the background."""

    perm = "ballots.manage_cycle"

    def get_form(self, cycle, data=None, files=None, **kwargs):
        return PhaseForm(data, initial={"phase": cycle.phase}, **kwargs)

    def perform(self, actor, cycle, form):
        return services.cycle_set_phase_by_hand(
            actor=actor, cycle=cycle, phase=form.cleaned_data["phase"]
        )

    def done_message(self, cycle, now, form):
        if now:
            return _("The cycle is now: %(p)s.") % {
                "p": Phase(form.cleaned_data["phase"]).label
            }
        return _(
            "Counting every ballot has started in the background. The result is "
            "published when the count is done, usually within a minute: reload this page."
        )


class Count(StaffAction):
    """An officer counts the ballots while the cycle is in its counting phase (in the
    background when the box is large)."""

    perm = "ballots.manage_cycle"
    form_class = forms.Form

    def perform(self, actor, cycle, form):
        return services.cycle_count_by_hand(actor=actor, cycle=cycle)

    def done_message(self, cycle, now, form):
        if now:
            return _(
                "Counted. The result is published when the cycle moves to "
                "'Results published'."
            )
        return _(
            "Counting every ballot has started in the background; the result appears on "
            "this page when the count is done, usually within a minute."
        )


class PaperBallot(StaffAction):
    """An organiser keys in one paper ballot: the voter (a member's email or a voting
    code) and the choices marked, laid out as `sections` (the same order as the paper
    form). Returns the receipt code to give the voter. Nothing is stored on error."""

    perm = "ballots.enter_paper"
    form_class = PaperVoterForm

    def __init__(self, sections):
        self.sections = sections

    def perform(self, actor, cycle, form):
        email, code = form.cleaned_data["email"], form.cleaned_data["code"]
        voter = None
        if email:
            voter = User.objects.filter(email__iexact=email).first()
            if voter is None:
                raise services.VotingError(_("No member has that email address."))
        return services.paper_ballot_enter(
            actor=actor,
            cycle=cycle,
            voter=voter,
            code=code,
            choices=parse_ballot(
                form.data, cycle.rules["ballot_method"], self.sections
            ),
        )

    def done_message(self, cycle, receipt, form):
        return _("Paper ballot recorded. Give the voter their receipt: %(r)s") % {
            "r": receipt
        }
