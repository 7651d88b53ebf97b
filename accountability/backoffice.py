"""Decisions and delivery in the back office: the money report, recording and publishing decisions, delivery milestones (base classes: civic/backoffice.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.generic import TemplateView

from accountability import delivery as delivery_services
from accountability.forms import MilestoneForm
from accountability.models import Decision
from accountability.services import decision_publish
from accountability.views import (
    decision_form,
    decision_form_save,
    report_csv,
    report_data,
    report_period,
)
from civic.backoffice import ActionFormView, PlaceWork, WorkMixin
from forums.backoffice import ProposalWork


class ReportView(PlaceWork, TemplateView):
    perm = "civic.view_report"
    action_label = _l("Money report")
    template_name = "cms/admin/work_report.html"

    def get(self, request, *args, **kwargs):
        self.start, self.end = report_period(request)
        if self.start is None:
            messages.error(request, _("Dates must look like 2026-04-01."))
            return redirect("work:report", slug=self.object.slug)
        self.data = report_data(self.object, self.start, self.end)
        if request.GET.get("format") == "csv":
            return report_csv(
                request.user, self.object, self.start, self.end, self.data
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **self.data,
            "start": self.start,
            "end": self.end,
        }


class DecisionEditView(PlaceWork, ActionFormView):
    perm = "civic.record_decision"
    action_label = _l("Record a decision")
    submit_label = _l("Save draft")
    success_message = _l("Draft saved. Check it, then publish the notice.")

    def get_object(self):
        place = super().get_object()
        self.decision = None
        if self.kwargs.get("pk"):
            self.decision = get_object_or_404(
                Decision, pk=self.kwargs["pk"], place=place, published_at__isnull=True
            )
        return place

    def get_form(self, form_class=None):
        return decision_form(self.request.POST or None, self.object, self.decision)

    def perform(self, form):
        self.saved = decision_form_save(
            self.request.user, self.object, form, self.decision
        )
        return self.saved

    def get_success_url(self):
        return reverse("work:decision_publish", args=[self.saved.pk])


class DecisionPublishView(WorkMixin, TemplateView):
    perm = "civic.record_decision"
    action_label = _l("Publish decision notice")
    template_name = "cms/admin/work_decision_publish.html"

    model, related, permission_via = Decision, ("place", "cycle"), "place"

    def post(self, request, *args, **kwargs):
        try:
            decision_publish(actor=request.user, decision=self.object)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("work:decision_publish", pk=self.object.pk)
        messages.success(
            request, _("Published. Residents following the forum are told by email.")
        )
        return redirect("work:index")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "decision": self.object,
            "votes": self.object.votes.select_related("councillor"),
            "proposals": self.object.proposals.all(),
        }


class MilestoneView(ProposalWork, ActionFormView):
    perm = "forums.post_milestone"
    action_label = _l("Post a delivery milestone")
    submit_label = _l("Post milestone")
    success_message = _l("Milestone posted.")

    def get_form(self, form_class=None):
        return MilestoneForm(self.request.POST or None, self.request.FILES or None)

    def perform(self, form):
        return delivery_services.milestone_post(
            actor=self.request.user, proposal=self.object, data=form.milestone_data()
        )

    def get_success_url(self):
        return reverse("queue_milestone:index")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["milestones"] = self.object.milestones.all()
        return context
