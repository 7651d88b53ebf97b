"""The cycle page, phase changes and counting by an officer, results, statistics."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ballots import flows, lifecycle, selectors
from ballots.models import BEFORE_VOTING, Phase
from ballots.selectors import polling
from ballots.selectors.results import results_context
from ballots.selectors.statistics import cycle_statistics, statistics_csv
from ballots.validation import VotingError
from ballots.views.common import _cycle
from civic.access import require
from civic.flows import run, tell_errors


def cycle_detail(request, slug):
    cycle = _cycle(request, slug)
    require(request, "ballots.view_cycle", cycle)
    changes = list(cycle.phase_changes.select_related("actor"))
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
            "codes_allowed": cycle.accepts_voting_codes,
            "can_export": request.user.has_perm("ballots.export", cycle)
            and cycle.phase not in (Phase.VOTING,)
            and cycle.frozen_rules,
            "phase_form": flows.PhaseChange().get_form(cycle),
            "phase_changes": changes,
            # The supports phase is shown where the rules use it (or it was used).
            "phases": _phases(cycle, changes),
            "timing": lifecycle.timing(cycle),
            **_in_person(cycle),
            **_officer_context(request, cycle),
        },
    )


def _phases(cycle, changes) -> list[tuple[str, str]]:
    """The phase bar: the supports phase only where the rules use it (or it was)."""
    used = (
        cycle.phase == Phase.SUPPORTS
        or any(c.to_phase == Phase.SUPPORTS for c in changes)
        or cycle.rules["supports_phase"]
    )
    return [(v, label) for v, label in Phase.choices if v != Phase.SUPPORTS or used]


def _in_person(cycle) -> dict:
    """Where to vote in person, until voting closes."""
    if cycle.archived or cycle.phase not in (*BEFORE_VOTING, Phase.VOTING):
        return {}
    points = polling.points_for(cycle)
    return {"polling_points": points, "points_map": polling.points_map(points)}


def _officer_context(request, cycle) -> dict:
    """The checklist before voting opens, and the repair while the vote is counted."""
    if not request.user.has_perm("ballots.manage_cycle", cycle) or cycle.archived:
        return {}
    context = {}
    if Phase.values.index(cycle.phase) < Phase.values.index(Phase.VOTING):
        context["checklist"] = lifecycle.preflight(cycle)
        waiver = flows.FenceWaiver().get_form(cycle)
        if waiver.shortfalls:
            context["waiver_form"] = waiver
    if cycle.phase == Phase.COUNTING:
        try:
            lifecycle.check_reopen(cycle)
        except VotingError:
            pass
        else:
            context["reopen_form"] = flows.ReopenVoting().get_form(cycle)
    return context


def _act(request, slug, action):
    """An officer's action on the cycle from its pages: a refusal is a message."""
    cycle = _cycle(request, slug)
    action.require(request, cycle)
    tell_errors(request, run(action, request, cycle))
    return cycle


@require_POST
def cycle_phase(request, slug):
    """A phase change; a move that cannot be taken back is shown on a confirmation
    page first (nothing changes until it is confirmed)."""
    cycle = _cycle(request, slug)
    action = flows.PhaseChange()
    action.require(request, cycle)
    form = action.get_form(cycle, request.POST)
    if action.needs_confirmation(form):
        return render(
            request,
            "ballots/phase_confirm.html",
            {"cycle": cycle, **action.confirmation(cycle, form)},
        )
    tell_errors(request, run(action, request, cycle))
    return redirect(cycle)


@require_POST
def reopen(request, slug):
    return redirect(_act(request, slug, flows.ReopenVoting()))


@require_POST
def fence_waiver(request, slug):
    return redirect(_act(request, slug, flows.FenceWaiver()))


def results(request, slug):
    cycle = _cycle(request, slug)
    require(request, "ballots.view_cycle", cycle)
    return render(request, "ballots/results.html", results_context(cycle, request.user))


@require_POST
def count(request, slug):
    cycle = _act(request, slug, flows.Count())
    return redirect("ballots:results", slug=cycle.slug)


def statistics(request, slug):

    cycle = _cycle(request, slug)
    require(request, "ballots.view_cycle", cycle)
    found = cycle_statistics(cycle)
    if request.GET.get("format") == "csv":
        response = HttpResponse(statistics_csv(found), content_type="text/csv")
        response["Content-Disposition"] = (
            f'attachment; filename="who-took-part-{cycle.slug}.csv"'
        )
        return response
    return render(request, "ballots/statistics.html", {"cycle": cycle, **found})
