"""The cycle page, phase changes and counting by an officer, results, statistics."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ballots import flows, selectors
from ballots.models import Phase
from ballots.results import results_context
from ballots.views.common import _cycle
from ballots.voting_codes import codes_allowed
from civic.access import require
from civic.flows import run, tell_errors


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
            "phase_form": flows.PhaseChange().get_form(cycle),
            "phase_changes": cycle.phase_changes.select_related("actor"),
            "phases": Phase.choices,
        },
    )


def _act(request, slug, action):
    """An officer's action on the cycle from its pages: a refusal is a message."""
    cycle = _cycle(request, slug)
    action.require(request, cycle)
    tell_errors(request, run(action, request, cycle))
    return cycle


@require_POST
def cycle_phase(request, slug):
    return redirect(_act(request, slug, flows.PhaseChange()))


def results(request, slug):
    cycle = _cycle(request, slug)
    require(request, "ballots.view_cycle", cycle)
    return render(request, "ballots/results.html", results_context(cycle, request.user))


@require_POST
def count(request, slug):
    cycle = _act(request, slug, flows.Count())
    return redirect("ballots:results", slug=cycle.slug)


def statistics(request, slug):
    from ballots.statistics import cycle_statistics

    cycle = _cycle(request, slug)
    require(request, "ballots.view_cycle", cycle)
    return render(
        request, "ballots/statistics.html", {"cycle": cycle, **cycle_statistics(cycle)}
    )
