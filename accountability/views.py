"""Decision records and notices, and the money report per place."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civic import spreadsheets
from civic.access import require
from civic.charts import chart_bars
from civic.flows import run, tell_errors
from civic.models import Contribution, Place
from civic.money import parse_pounds
from forums.models import Forum, Proposal

from . import delivery as delivery_services
from . import flows
from .forms import BenefitForm, RecipientForm
from .models import (
    Decision,
    ExpectedBenefit,
    FundingAttribution,
    GrantRecipient,
    VoteChoice,
)


def decisions_for_place(request, slug):
    place = get_object_or_404(Place, slug=slug)
    require(request, "civic.view_place", place)
    can_record = request.user.has_perm("accountability.record_decision", place)
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


def _decision(request, pk):
    decision = get_object_or_404(
        Decision.objects.select_related("place", "cycle", "amends", "created_by"), pk=pk
    )
    require(request, "accountability.view_decision", decision)
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
                "accountability.record_decision", decision.place
            ),
            "tally": {
                c: decision.votes.filter(vote=c).count() for c in VoteChoice.values
            },
        },
    )


@require_POST
def decision_publish_view(request, pk):
    decision = _decision(request, pk)
    action = flows.DecisionPublish()
    action.require(request, decision)
    tell_errors(request, run(action, request, decision))
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
        chart_bars(rows, "total", show_values=False)
    return {
        "money_in": money_in,
        "by_category": by_category,
        "by_body": by_body,
        "benefits": benefits,
    }


def report_csv(place, start, end, data) -> HttpResponse:
    """The money report as CSV: public, as the page is (so not logged)."""
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="report-{place.slug}-{start}-{end}.csv"'
    )
    writer = spreadsheets.writer(response)
    writer.writerow(["table", "name", "amount_pence"])
    for table in ("money_in", "by_category", "by_body", "benefits"):
        for row in data[table]:
            writer.writerow([table, row["label"], row["total"]])
    return response


def report(request, slug):
    place = get_object_or_404(Place, slug=slug)
    require(request, "accountability.view_report", place)
    start, end = report_period(request)
    if start is None:
        messages.error(request, _("Dates must look like 2026-04-01."))
        return redirect("accountability:report", slug=slug)
    data = report_data(place, start, end)
    if request.GET.get("format") == "csv":
        return report_csv(place, start, end, data)
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
    can_milestone = request.user.has_perm("accountability.post_milestone", proposal)
    can_fund = request.user.has_perm("accountability.attribute_funding", proposal)
    benefit_form = BenefitForm(prefix="b")
    recipient = GrantRecipient.objects.filter(proposal=proposal).first()
    recipient_form = RecipientForm(
        prefix="r",
        instance=recipient,
        # A new recipient's grant is awarded today unless said otherwise; a recorded
        # one shows its own date.
        initial=None if recipient else {"award_date": timezone.localdate()},
    )
    errors: list[str] = []
    action = request.POST.get("action")
    if request.method == "POST":
        try:
            if action in ("funding", "suggest"):
                require(request, "accountability.attribute_funding", proposal)
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
                require(request, "accountability.record_benefit", proposal)
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
            elif action == "recipient":
                require(request, "accountability.attribute_funding", proposal)
                recipient_form = RecipientForm(
                    request.POST, prefix="r", instance=recipient
                )
                if recipient_form.is_valid():
                    delivery_services.recipient_set(
                        actor=request.user,
                        proposal=proposal,
                        data=recipient_form.cleaned_data,
                    )
                    messages.success(request, _("Grant recipient recorded."))
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
            "percent_done": delivery_services.percent_done(proposal),
            "funding": proposal.funding.select_related("contribution__body"),
            "benefits": proposal.benefits.select_related("body"),
            "contributions": [(c, current.get(c.pk)) for c in contributions],
            "can_milestone": can_milestone,
            "can_fund": can_fund,
            "benefit_form": benefit_form,
            "recipient": recipient,
            "recipient_form": recipient_form,
            "errors": errors,
        },
        status=400 if errors or benefit_form.errors or recipient_form.errors else 200,
    )
