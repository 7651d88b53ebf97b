"""Cycle actions in the back office: phase changes and counting, paper ballots (base classes: civic/backoffice.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ballots import selectors as ballot_selectors
from ballots import services as ballot_services
from ballots.forms import PaperVoterForm, PhaseForm
from ballots.models import Cycle, Phase
from ballots.views import count_message, paper_submit, phase_message
from civic.backoffice import ActionFormView, WorkMixin


class CycleWork(WorkMixin):
    model, related, lookup = Cycle, ("place",), "slug"


class PhaseView(CycleWork, ActionFormView):
    perm = "ballots.manage_cycle"
    action_label = _l("Cycle phase")
    form_class = PhaseForm
    submit_label = _l("Change phase")
    intro_template = "cms/admin/work_phase_intro.html"

    def get_initial(self):
        return {"phase": self.object.phase}

    def perform(self, form):
        if self.request.POST.get("count"):
            now = ballot_services.cycle_count_by_hand(
                actor=self.request.user, cycle=self.object
            )
            self.success_message = count_message(now)
            return self.object
        now = ballot_services.cycle_set_phase_by_hand(
            actor=self.request.user, cycle=self.object, phase=form.cleaned_data["phase"]
        )
        self.success_message = phase_message(form.cleaned_data["phase"], now)
        return self.object

    def get_success_url(self):
        return reverse("work:phase", args=[self.object.slug])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["changes"] = self.object.phase_changes.select_related("actor").order_by(
            "-created_at"
        )[:10]
        context["can_count"] = self.object.phase == Phase.COUNTING
        return context


class PaperBallotView(CycleWork, ActionFormView):
    perm = "ballots.enter_paper"
    action_label = _l("Enter a paper ballot")
    form_class = PaperVoterForm
    template_name = "cms/admin/work_paper.html"
    submit_label = _l("Record paper ballot")

    def get_object(self):
        cycle = super().get_object()
        self.sections = ballot_selectors.ballot_sections(
            cycle, seed="paper", sort="category"
        )
        return cycle

    def perform(self, form):
        receipt, errors = paper_submit(
            self.request.user, self.object, form, self.request.POST, self.sections
        )
        for error in errors:
            form.add_error(None, error)
        if receipt:
            self.success_message = _(
                "Paper ballot recorded. Give the voter their receipt: %(r)s"
            ) % {"r": receipt}
            return receipt
        return None

    def get_success_url(self):
        return reverse("work:paper", args=[self.object.slug])

    def get_context_data(self, **kwargs):
        rules = self.object.rules
        return {
            **super().get_context_data(**kwargs),
            "sections": self.sections,
            "method": rules["ballot_method"],
            "rules": rules,
        }
