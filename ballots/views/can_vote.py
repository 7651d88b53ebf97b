"""“Can I vote?”, on every cycle (ballots/can_vote.py)."""

from __future__ import annotations

from django.shortcuts import render

from ballots import can_vote
from ballots.lifecycle import timing
from ballots.views.common import _cycle
from civic.access import require


def can_i_vote(request, slug):
    """A postcode in (GET: nothing is stored), the answer out."""
    cycle = _cycle(request, slug)
    require(request, "ballots.view_cycle", cycle)
    postcode = request.GET.get("postcode", "")
    problem = can_vote.postcode_problem(postcode) if "postcode" in request.GET else ""
    answer = (
        can_vote.answer(cycle, postcode, request.user)
        if "postcode" in request.GET and not problem
        else None
    )
    return render(
        request,
        "ballots/can_vote.html",
        {
            "cycle": cycle,
            "postcode": postcode.strip()[:12],
            "problem": problem,
            "answer": answer,
            "timing": timing(cycle),
        },
        status=400 if problem else 200,
    )
