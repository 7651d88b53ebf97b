"""Decision records and notices, and the money report per place."""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civic.access import require
from civic.audit import audit_record
from civic.charts import chart_bars
from civic.models import Contribution, Place
from civic.money import parse_pounds
from forums.models import Forum, Proposal

from . import delivery as delivery_services
from .forms import BenefitForm, DecisionForm, MilestoneForm
from .models import (
    Decision,
    DecisionKind,
    ExpectedBenefit,
    FundingAttribution,
    VoteChoice,
)
from .services import councillors_for, decision_publish, decision_save


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
        "accountability/decisions.html",
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
        "accountability/decision_form.html",
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
        "accountability/decision_print.html"
        if printable
        else "accountability/decision_detail.html",
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
        return redirect("accountability:report", slug=slug)
    data = report_data(place, start, end)
    if request.GET.get("format") == "csv":
        return report_csv(request.user, place, start, end, data)
    return render(
        request,
        "accountability/report.html",
        {"place": place, "start": start, "end": end, **data},
    )


# Delivery ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def delivery(request, slug, pk):
    forum = get_object_or_404(Forum.objects.select_related("place"), slug=slug)
    proposal = get_object_or_404(
        Proposal.objects.select_related("category", "forum__place"), pk=pk, forum=forum
    )
    require(request, "forums.view_proposal", proposal)
    can_milestone = request.user.has_perm("forums.post_milestone", proposal)
    can_fund = request.user.has_perm("forums.attribute_funding", proposal)
    milestone_form = MilestoneForm(prefix="m")
    benefit_form = BenefitForm(prefix="b")
    errors: list[str] = []
    action = request.POST.get("action")
    if request.method == "POST":
        try:
            if action == "milestone":
                require(request, "forums.post_milestone", proposal)
                milestone_form = MilestoneForm(request.POST, request.FILES, prefix="m")
                if milestone_form.is_valid():
                    delivery_services.milestone_post(
                        actor=request.user,
                        proposal=proposal,
                        data=milestone_form.milestone_data(),
                    )
                    messages.success(request, _("Milestone posted."))
                    return redirect("accountability:delivery", slug=slug, pk=pk)
            elif action in ("funding", "suggest"):
                require(request, "forums.attribute_funding", proposal)
                if action == "suggest":
                    allocations = delivery_services.funding_suggest(proposal)
                else:
                    allocations = {}
                    for key, value in request.POST.items():
                        if key.startswith("c_") and value.strip():
                            try:
                                allocations[int(key[2:])] = parse_pounds(value)
                            except ValueError:
                                raise ValidationError(
                                    _("Amounts must be numbers of pounds.")
                                ) from None
                delivery_services.funding_set(
                    actor=request.user, proposal=proposal, allocations=allocations
                )
                messages.success(request, _("Funding recorded."))
                return redirect("accountability:delivery", slug=slug, pk=pk)
            elif action == "benefit":
                require(request, "forums.record_benefit", proposal)
                benefit_form = BenefitForm(request.POST, prefix="b")
                if benefit_form.is_valid():
                    cd = benefit_form.cleaned_data
                    value = None if cd["value"] is None else int(cd["value"] * 100)
                    delivery_services.benefit_record(
                        actor=request.user,
                        proposal=proposal,
                        body=cd["body"],
                        note=cd["note"],
                        value_pence=value,
                    )
                    messages.success(request, _("Expected benefit recorded."))
                    return redirect("accountability:delivery", slug=slug, pk=pk)
            else:
                errors.append(_("Unknown action."))
        except ValidationError as error:
            errors += error.messages
    contributions = Contribution.objects.filter(
        budget__place=forum.place
    ).select_related("body", "budget", "ring_fence_category")
    current = {a.contribution_id: a.amount_pence for a in proposal.funding.all()}
    return render(
        request,
        "accountability/delivery.html",
        {
            "forum": forum,
            "proposal": proposal,
            "milestones": proposal.milestones.all(),
            "funding": proposal.funding.select_related("contribution__body"),
            "benefits": proposal.benefits.select_related("body"),
            "contributions": [(c, current.get(c.pk)) for c in contributions],
            "can_milestone": can_milestone,
            "can_fund": can_fund,
            "milestone_form": milestone_form,
            "benefit_form": benefit_form,
            "errors": errors,
        },
        status=400 if errors or milestone_form.errors or benefit_form.errors else 200,
    )
