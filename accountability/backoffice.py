"""Decisions and delivery in the back office: the money report, recording and publishing decisions, delivery milestones (base classes: civic/backoffice.py; the actions: accountability/flows.py)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.generic import TemplateView

from accountability import flows
from accountability.models import Decision, Milestone
from accountability.views import report_csv, report_data, report_period
from civic.backoffice import ActionFormView, PlaceWork
from civic.flows import run, tell_errors
from civic.work_queues import QueueViewSet, RowAction
from forums.backoffice import ProposalWork


class ReportView(PlaceWork, TemplateView):
    perm = "accountability.view_report"
    action_label = _l("Money report")
    template_name = "cms/admin/work_report.html"

    def get(self, request, *args, **kwargs):
        self.start, self.end = report_period(request)
        if self.start is None:
            messages.error(request, _("Dates must look like 2026-04-01."))
            return redirect("work:report", slug=self.object.slug)
        self.data = report_data(self.object, self.start, self.end)
        if request.GET.get("format") == "csv":
            return report_csv(self.object, self.start, self.end, self.data)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **self.data,
            "start": self.start,
            "end": self.end,
        }


class DecisionEditView(PlaceWork, ActionFormView):
    action_label = _l("Record a decision")
    submit_label = _l("Save draft")
    perm = flows.DecisionSave.perm

    def get_object(self):
        """The place; the draft being edited (a published decision is amended, never
        edited), or the published decision an amendment amends (`?amends=`)."""
        place = super().get_object()
        decision = amends = None
        if self.kwargs.get("pk"):
            decision = get_object_or_404(
                Decision, pk=self.kwargs["pk"], place=place, published_at__isnull=True
            )
        elif amended := self.request.GET.get("amends") or self.request.POST.get(
            "amends"
        ):
            amends = get_object_or_404(Decision, pk=amended, published_at__isnull=False)
        self.action = flows.DecisionSave(decision, amends)
        return place

    def get_success_url(self, result):
        return reverse("work:decision_publish", args=[result.pk])


class DecisionPublishView(ActionFormView):
    action = flows.DecisionPublish()
    action_label = _l("Publish decision notice")
    template_name = "cms/admin/work_decision_publish.html"
    model, related = Decision, ("place", "cycle")

    def post(self, request, *args, **kwargs):
        outcome = run(self.action, request, self.object)
        if outcome.done:
            return redirect("work:index")
        tell_errors(request, outcome)
        return redirect("work:decision_publish", pk=self.object.pk)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "decision": self.object,
            "votes": self.object.votes.select_related("councillor"),
            "proposals": self.object.proposals.all(),
        }


class MilestoneView(ProposalWork, ActionFormView):
    action = flows.MilestonePost()
    action_label = _l("Post a delivery milestone")
    submit_label = _l("Post milestone")

    def get_success_url(self, result):
        return reverse("queue_milestone:index")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["milestones"] = self.object.milestones.all()
        return context


# Work queues (what they share: civic/work_queues.py) --------------------------------


def _unpublished(decision) -> bool:
    return decision.published_at is None


class DecisionQueue(QueueViewSet):
    model, icon, menu_label = Decision, "doc-full-inverse", _l("Decisions")
    path_field, perm = "place__path", "accountability.view_decision"
    columns = ("title", "reference", "place", "decided_on", "published_at")
    list_filter, search_fields = ["kind"], ["title"]
    row_actions = (
        RowAction(
            _l("Edit draft"),
            "work:decision_edit",
            args=("place.slug", "pk"),
            of="place",
            when=_unpublished,
        ),
        RowAction(
            _l("Publish"),
            "work:decision_publish",
            of="place",
            when=_unpublished,
        ),
    )


class MilestoneQueue(QueueViewSet):
    model, icon, menu_label = Milestone, "time", _l("Milestones")
    path_field = "proposal__forum__place__path"
    columns = ("title", "proposal", "planned_date", "actual_date", "percent_done")
    row_actions = (
        RowAction(
            _l("Post next milestone"),
            "work:milestone",
            args=("proposal_id",),
            of="proposal",
        ),
    )
