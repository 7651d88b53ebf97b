"""The cycle page, phase changes and counting by an officer, results, statistics."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ballots import selectors, services
from ballots.forms import (
    PhaseForm,
)
from ballots.models import Phase
from ballots.results import results_context
from ballots.services import VotingError
from ballots.views.common import _cycle, count_message, phase_message
from ballots.voting_codes import codes_allowed
from civic.access import require


def cycle_detail(request, slug):
    cycle = _cycle(request, slug)
    require(request, "ballots.view_cycle", cycle)
    return render(
        request,
        "ballots/cycle_detail.html",
        {
            "cycle": cycle,
            "sections": cycle.sections.select_related("place").prefetch_related(
                "projects__proposal__forum"
            ),
            "turnout": selectors.turnout(cycle),
            "can_manage": request.user.has_perm("ballots.manage_cycle", cycle),
            "can_paper": request.user.has_perm("ballots.enter_paper", cycle),
            "can_codes": request.user.has_perm("ballots.manage_codes", cycle),
            "codes_allowed": codes_allowed(cycle),
            "can_export": request.user.has_perm("ballots.export", cycle)
            and cycle.phase not in (Phase.VOTING,)
            and cycle.frozen_rules,
            "phase_form": PhaseForm(initial={"phase": cycle.phase}),
            "phase_changes": cycle.phase_changes.select_related("actor"),
            "phases": Phase.choices,
        },
    )


@require_POST
def cycle_phase(request, slug):
    cycle = _cycle(request, slug)
    require(request, "ballots.manage_cycle", cycle)
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            now = services.cycle_set_phase_by_hand(
                actor=request.user, cycle=cycle, phase=form.cleaned_data["phase"]
            )
        except VotingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, phase_message(form.cleaned_data["phase"], now))
    return redirect(cycle)


def results(request, slug):
    cycle = _cycle(request, slug)
    require(request, "ballots.view_cycle", cycle)
    return render(request, "ballots/results.html", results_context(cycle, request.user))


@require_POST
def count(request, slug):
    cycle = _cycle(request, slug)
    require(request, "ballots.manage_cycle", cycle)
    try:
        now = services.cycle_count_by_hand(actor=request.user, cycle=cycle)
    except VotingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, count_message(now))
    return redirect("ballots:results", slug=cycle.slug)


def statistics(request, slug):
    from ballots.statistics import cycle_statistics

    cycle = _cycle(request, slug)
    require(request, "ballots.view_cycle", cycle)
    return render(
        request, "ballots/statistics.html", {"cycle": cycle, **cycle_statistics(cycle)}
    )
