"""The cycle's staff actions (base and how they are run: civic/flows.py): moving the
cycle to another phase, counting, and keying in a paper ballot. The cycle's pages and
the back office both run these."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ballots import lifecycle, services, tasks
from ballots.forms import (
    FenceWaiverForm,
    PaperVoterForm,
    PhaseForm,
    ReopenForm,
    parse_ballot,
)
from ballots.models import Phase
from civic.flows import StaffAction
from civic.models import User


class PhaseChange(StaffAction):
    """An officer moves the cycle along its state machine (ballots/lifecycle.py). A
    move that cannot be taken back (opening voting, closing it, publishing results)
    is first shown on a page that says what will happen, and made only once that
    page is confirmed. Closing and publishing read every ballot: in the background."""

    perm = "ballots.manage_cycle"

    # What the confirmation page asks, per move.
    QUESTIONS = {
        Phase.VOTING: (_l("Open voting now?"), _l("Yes, open voting")),
        Phase.COUNTING: (
            _l("Close voting now?"),
            _l("Yes, close voting and count"),
        ),
        Phase.RESULTS: (_l("Publish the result now?"), _l("Yes, publish the result")),
    }

    def get_form(self, cycle, data=None, files=None, **kwargs):
        return PhaseForm(data, cycle=cycle, **kwargs)

    def needs_confirmation(self, form) -> bool:
        return (
            form.is_valid()
            and form.cleaned_data["phase"] in lifecycle.CONFIRMED
            and not form.cleaned_data["confirm"]
        )

    def confirmation(self, cycle, form) -> dict:
        """What the confirmation page shows: the question, what will happen, and
        the button that confirms."""
        phase = form.cleaned_data["phase"]
        question, button = self.QUESTIONS[phase]
        return {
            "question": question,
            "button": button,
            "phase": phase,
            "consequences": lifecycle.consequences(cycle, phase),
        }

    def perform(self, actor, cycle, form):
        if self.needs_confirmation(form):
            raise services.VotingError(
                _("Confirm the move on the page that says what it will do.")
            )
        return tasks.set_phase_by_hand(
            actor=actor, cycle=cycle, phase=form.cleaned_data["phase"]
        )

    def done_message(self, cycle, now, form):
        phase = form.cleaned_data["phase"]
        if now:
            return _("The cycle is now: %(p)s.") % {"p": Phase(phase).label}
        if phase == Phase.COUNTING:
            return _(
                "Voting is closing: every ballot is being mixed and counted in the "
                "background, usually within a minute. Reload this page."
            )
        return _(
            "Counting every ballot has started in the background. The result is "
            "published when the count is done, usually within a minute: reload this page."
        )


class ReopenVoting(StaffAction):
    """The audited repair for a vote closed by mistake: voting re-opens until a new
    closing time, with the reason shown publicly, while no result is published."""

    perm = "ballots.manage_cycle"
    form_class = ReopenForm

    def perform(self, actor, cycle, form):
        return services.cycle_reopen_voting(
            actor=actor,
            cycle=cycle,
            reason=form.cleaned_data["reason"],
            closes_at=form.cleaned_data["closes_at"],
        )

    def done_message(self, cycle, result, form):
        return _("Voting is open again. The reason is shown on the cycle's timeline.")


class FenceWaiver(StaffAction):
    """Before voting opens, an officer accepts that a ring-fence cannot be met by
    the shortlisted projects; the reason is shown with the results."""

    perm = "ballots.manage_cycle"

    def get_form(self, cycle, data=None, files=None, **kwargs):
        return FenceWaiverForm(data, shortfalls=lifecycle.shortfalls(cycle), **kwargs)

    def perform(self, actor, cycle, form):
        return services.fence_waiver_record(
            actor=actor,
            cycle=cycle,
            key=form.cleaned_data["fence"],
            reason=form.cleaned_data["reason"],
        )

    def done_message(self, cycle, result, form):
        return _("Recorded: the ring-fence is accepted as not met, with your reason.")


class Count(StaffAction):
    """An officer counts the ballots while the cycle is in its counting phase (in the
    background when the box is large)."""

    perm = "ballots.manage_cycle"
    form_class = forms.Form

    def perform(self, actor, cycle, form):
        return tasks.count_by_hand(actor=actor, cycle=cycle)

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
