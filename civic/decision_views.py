"""Decision records and notices, and the money report per place."""

from __future__ import annotations

import csv
import datetime as dt

from django import forms
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST

from .access import require
from .audit import audit_record
from .decisions import councillors_for, decision_publish, decision_save
from .models import (
    Contribution,
    Decision,
    DecisionKind,
    ExpectedBenefit,
    FundingAttribution,
    Place,
    VoteChoice,
)
from .selectors import chart_bars


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = [
            "kind",
            "title",
            "text",
            "reasons",
            "conflicts",
            "decided_on",
            "cycle",
        ]
        widgets = {
            "decided_on": forms.DateInput(attrs={"type": "date"}),
            "text": forms.Textarea(attrs={"rows": 5}),
            "reasons": forms.Textarea(attrs={"rows": 5}),
            "conflicts": forms.Textarea(attrs={"rows": 2}),
        }

    proposal_ids = forms.ModelMultipleChoiceField(
        label=_l("Proposals this decision is about"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, place: Place, councillors, **kwargs):
        super().__init__(*args, **kwargs)
        Cycle = apps.get_model("ballots", "Cycle")
        Proposal = apps.get_model("forums", "Proposal")
        self.fields["cycle"].queryset = Cycle.objects.filter(
            place__path__startswith=place.path
        ) | Cycle.objects.filter(place__path__in=place.ancestor_paths())
        self.fields["proposal_ids"].queryset = Proposal.objects.filter(
            forum__place__path__startswith=place.path,
            status__in=[
                "shortlisted",
                "funded",
                "not_funded",
                "in_delivery",
                "delivered",
                "published",
            ],
        ).order_by("title")
        self.fields["decided_on"].initial = timezone.localdate()
        self.councillors = list(councillors)
        choices = [("", _l("Not present")), *VoteChoice.choices]
        for c in self.councillors:
            self.fields[f"vote_{c.pk}"] = forms.ChoiceField(
                label=c.public_name, choices=choices, required=False
            )
            self.fields[f"interest_{c.pk}"] = forms.CharField(
                label=_l("Interest declared"), required=False, max_length=300
            )

    def vote_rows(self):
        return [
            (c, self[f"vote_{c.pk}"], self[f"interest_{c.pk}"])
            for c in self.councillors
        ]

    def votes(self):
        return [
            (
                c,
                self.cleaned_data[f"vote_{c.pk}"],
                self.cleaned_data.get(f"interest_{c.pk}", ""),
            )
            for c in self.councillors
            if self.cleaned_data.get(f"vote_{c.pk}")
        ]


def decisions_for_place(request, slug):
    place = get_object_or_404(Place, slug=slug)
    require(request, "civic.view_place", place)
    can_record = request.user.has_perm("civic.record_decision", place)
    qs = Decision.objects.filter(
        place__path__in=place.ancestor_paths()
    ) | Decision.objects.filter(place__path__startswith=place.path)
    if not can_record:
        qs = qs.filter(published_at__isnull=False)
    return render(
        request,
        "civic/decisions.html",
        {
            "place": place,
            "decisions": qs.select_related("place", "amends").distinct(),
            "can_record": can_record,
        },
    )


def decision_form(data, place, decision=None, amends=None) -> DecisionForm:
    """The decision form for a new draft, an amendment or an unpublished draft."""
    initial = {}
    if decision is not None:
        for v in decision.votes.all():
            initial[f"vote_{v.councillor_id}"] = v.vote
            initial[f"interest_{v.councillor_id}"] = v.interest_declared
        initial["proposal_ids"] = list(decision.proposals.values_list("pk", flat=True))
    elif amends is not None:
        initial = {
            "kind": DecisionKind.AMEND,
            "title": _("Amendment to %(r)s") % {"r": amends.reference},
            "cycle": amends.cycle_id,
        }
    return DecisionForm(
        data,
        instance=decision,
        place=place,
        councillors=councillors_for(place),
        initial=initial,
    )


def decision_form_save(actor, place, form, decision=None, amends=None):
    """Save a valid form through the decision service; None (errors on the form)
    when the service refuses."""
    data = {k: form.cleaned_data[k] for k in DecisionForm.Meta.fields}
    try:
        return decision_save(
            actor=actor,
            place=place,
            data=data,
            votes=form.votes(),
            proposals=form.cleaned_data["proposal_ids"],
            amends=amends,
            decision=decision,
        )
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return None


@require_http_methods(["GET", "POST"])
def decision_edit(request, slug, pk=None):
    place = get_object_or_404(Place, slug=slug)
    require(request, "civic.record_decision", place)
    decision = get_object_or_404(Decision, pk=pk, place=place) if pk else None
    amends = None
    if request.GET.get("amends") or request.POST.get("amends"):
        amends = get_object_or_404(
            Decision,
            pk=request.GET.get("amends") or request.POST.get("amends"),
            published_at__isnull=False,
        )
    if decision is not None and decision.is_published:
        messages.error(
            request, _("A published decision cannot be changed; record an amendment.")
        )
        return redirect(decision)
    form = decision_form(request.POST or None, place, decision, amends)
    if request.method == "POST" and form.is_valid():
        saved = decision_form_save(request.user, place, form, decision, amends)
        if saved is not None:
            messages.success(
                request, _("Draft saved. Check it, then publish the notice.")
            )
            return redirect(saved)
    return render(
        request,
        "civic/decision_form.html",
        {"place": place, "form": form, "decision": decision, "amends": amends},
        status=400 if form.is_bound and form.errors else 200,
    )


def _decision(request, pk):
    decision = get_object_or_404(
        Decision.objects.select_related("place", "cycle", "amends", "created_by"), pk=pk
    )
    require(request, "civic.view_decision", decision)
    return decision


def decision_detail(request, pk, printable=False):
    decision = _decision(request, pk)
    return render(
        request,
        "civic/decision_print.html" if printable else "civic/decision_detail.html",
        {
            "decision": decision,
            "place": decision.place,
            "votes": decision.votes.select_related("councillor"),
            "proposals": decision.proposals.select_related("forum"),
            "amended_by": decision.amended_by.filter(published_at__isnull=False),
            "can_record": request.user.has_perm(
                "civic.record_decision", decision.place
            ),
            "tally": {
                c: decision.votes.filter(vote=c).count() for c in VoteChoice.values
            },
        },
    )


@require_POST
def decision_publish_view(request, pk):
    decision = _decision(request, pk)
    require(request, "civic.record_decision", decision.place)
    try:
        decision_publish(actor=request.user, decision=decision)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Published. Residents following the forum are told by email.")
        )
    return redirect(decision)


# Report ------------------------------------------------------------------------------


def report_period(request):
    today = timezone.localdate()
    start_year = today.year if today.month >= 4 else today.year - 1
    try:
        start = (
            dt.date.fromisoformat(request.GET.get("from", ""))
            if request.GET.get("from")
            else dt.date(start_year - 1, 4, 1)
        )
        end = (
            dt.date.fromisoformat(request.GET.get("to", ""))
            if request.GET.get("to")
            else dt.date(start_year + 1, 3, 31)
        )
    except ValueError:
        return None, None
    return start, end


def report_data(place: Place, start, end) -> dict:
    contributions = Contribution.objects.filter(
        budget__place__path__startswith=place.path,
        budget__period_start__lte=end,
        budget__period_end__gte=start,
    )
    money_in = list(
        contributions.values("body__name")
        .annotate(total=Sum("amount_pence"))
        .order_by("-total")
    )
    attributions = FundingAttribution.objects.filter(contribution__in=contributions)
    by_category = list(
        attributions.values("proposal__category__name")
        .annotate(total=Sum("amount_pence"))
        .order_by("-total")
    )
    by_body = list(
        attributions.values("contribution__body__name")
        .annotate(total=Sum("amount_pence"))
        .order_by("-total")
    )
    benefits = list(
        ExpectedBenefit.objects.filter(
            proposal__forum__place__path__startswith=place.path
        )
        .values("body__name")
        .annotate(total=Sum("estimated_value_pence"))
        .order_by("-total")
    )
    for rows, key in (
        (money_in, "body__name"),
        (by_category, "proposal__category__name"),
        (by_body, "contribution__body__name"),
        (benefits, "body__name"),
    ):
        for r in rows:
            r["label"] = r[key]
            r["total"] = r["total"] or 0
        chart_bars(rows, "total")
    return {
        "money_in": money_in,
        "by_category": by_category,
        "by_body": by_body,
        "benefits": benefits,
    }


def report_csv(actor, place, start, end, data) -> HttpResponse:
    if actor.is_authenticated:
        audit_record(
            actor=actor,
            action="report.export",
            place=place,
            summary=_("Money report for %(p)s exported") % {"p": place.name},
        )
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="report-{place.slug}-{start}-{end}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["table", "name", "amount_pence"])
    for table in ("money_in", "by_category", "by_body", "benefits"):
        for row in data[table]:
            writer.writerow([table, row["label"], row["total"]])
    return response


def report(request, slug):
    place = get_object_or_404(Place, slug=slug)
    require(request, "civic.view_report", place)
    start, end = report_period(request)
    if start is None:
        messages.error(request, _("Dates must look like 2026-04-01."))
        return redirect("civic:report", slug=slug)
    data = report_data(place, start, end)
    if request.GET.get("format") == "csv":
        return report_csv(request.user, place, start, end, data)
    return render(
        request,
        "civic/report.html",
        {"place": place, "start": start, "end": end, **data},
    )
