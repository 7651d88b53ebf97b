"""Cycle actions in the back office: phase changes and counting, paper ballots (base classes: civic/backoffice.py; the actions: ballots/flows.py)."""

from __future__ import annotations

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from ballots import flows, lifecycle, tasks
from ballots import selectors as ballot_selectors
from ballots import services as ballot_services
from ballots.forms import submitted_ballot
from ballots.models import Cycle, Phase
from civic.backoffice import ActionFormView, WorkMixin
from civic.flows import run, tell_errors


class CycleWork(WorkMixin):
    model, related, lookup = Cycle, ("place",), "slug"

    def get_object(self):
        # As on the cycle's own pages: a request that acts first moves the cycle to
        # the phase its dates say.
        cycle = super().get_object()
        if self.request.method == "POST":
            return ballot_services.cycle_refresh_phase(cycle)
        return cycle


WORK = {
    Phase.COUNTING: _l("Closing the vote and counting every ballot"),
    Phase.RESULTS: _l("Publishing the result"),
    "count": _l("Counting the votes"),
}
STATES = {
    "queued": _l("%(what)s: waiting for the task queue since %(at)s."),
    "running": _l("%(what)s: under way since %(at)s."),
    "done": _l("%(what)s: done at %(at)s."),
    "refused": _l("%(what)s: refused at %(at)s. %(message)s"),
    "failed": _l(
        "%(what)s: failed at %(at)s; the vote is as it was before. Try again, or ask "
        "your administrator to look at the task queue's log."
    ),
}


def work_sentence(status: dict | None) -> dict | None:
    """What the task queue is doing, or did last, with an officer's heavy move."""
    if status is None:
        return None
    at = timezone.localtime(status["at"]).strftime("%H:%M:%S")
    text = STATES[status["state"]] % {
        "what": WORK[status["what"]],
        "at": at,
        "message": status["message"],
    }
    return {"state": status["state"], "text": text}


class PhaseView(CycleWork, ActionFormView):
    """Phase change, and the count button while the cycle is counting."""

    action = flows.PhaseChange()
    action_label = _l("Cycle phase")
    submit_label = _l("Change phase")
    intro_template = "cms/admin/work_phase_intro.html"

    def post(self, request, *args, **kwargs):
        if request.POST.get("count"):
            # No form to show again: a refusal is a message, as on the results page.
            tell_errors(request, run(flows.Count(), request, self.object))
            return redirect("work:phase", slug=self.object.slug)
        form = self.action.get_form(self.object, request.POST)
        if self.action.needs_confirmation(form):
            # As on the cycle page: what the move will do, then the confirming button.
            return TemplateResponse(
                request,
                "cms/admin/work_phase_confirm.html",
                self.get_context_data(
                    **self.action.confirmation(self.object, form),
                    cancel=reverse("work:phase", args=[self.object.slug]),
                ),
            )
        return super().post(request, *args, **kwargs)

    def get_success_url(self, result):
        return reverse("work:phase", args=[self.object.slug])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle = self.object
        context["changes"] = cycle.phase_changes.select_related("actor").order_by(
            "-created_at"
        )[:10]
        context["can_count"] = cycle.phase == Phase.COUNTING
        context["work"] = work_sentence(tasks.work_status(cycle.pk))
        context["timing"] = lifecycle.timing(cycle)
        if Phase.values.index(cycle.phase) < Phase.values.index(Phase.VOTING):
            context["checklist"] = lifecycle.preflight(cycle)
        return context


class ReopenView(CycleWork, ActionFormView):
    """The audited repair: re-open a vote closed by mistake, before any result."""

    action = flows.ReopenVoting()
    action_label = _l("Re-open voting")
    submit_label = _l("Re-open voting")
    intro_template = "cms/admin/work_reopen_intro.html"

    def get_success_url(self, result):
        return reverse("work:phase", args=[self.object.slug])


class PaperBallotView(CycleWork, ActionFormView):
    action_label = _l("Enter a paper ballot")
    template_name = "cms/admin/work_paper.html"
    submit_label = _l("Record paper ballot")
    perm = flows.PaperBallot.perm

    def get_object(self):
        cycle = super().get_object()
        self.sections = ballot_selectors.ballot_sections(
            cycle, seed="paper", sort="category"
        )
        self.action = flows.PaperBallot(self.sections)
        return cycle

    def get_success_url(self, result):
        return reverse("work:paper", args=[self.object.slug])

    def get_context_data(self, **kwargs):
        rules = self.object.rules
        method = rules["ballot_method"]
        return {
            **super().get_context_data(**kwargs),
            "sections": self.sections,
            "method": method,
            "rules": rules,
            # After a refusal the choices keyed in are shown again, as typed.
            "chosen": submitted_ballot(self.request.POST, method, self.sections)
            if self.request.method == "POST"
            else {},
        }
