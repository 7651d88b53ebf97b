"""Paper ballots keyed in by organisers."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ballots import flows, selectors
from ballots.forms import submitted_ballot
from ballots.views.common import _cycle
from civic.access import require
from civic.flows import run


@require_http_methods(["GET", "POST"])
def paper(request, slug):
    cycle = _cycle(request, slug)
    require(request, flows.PaperBallot.perm, cycle)
    method = cycle.rules["ballot_method"]
    sections = selectors.ballot_sections(cycle, seed="paper", sort="category")
    action = flows.PaperBallot(sections)
    voter_form, errors, chosen = action.get_form(cycle), [], {}
    if request.method == "POST":
        outcome = run(action, request, cycle)
        if outcome.done:
            return redirect("ballots:paper", slug=cycle.slug)
        voter_form = outcome.form
        errors = list(voter_form.non_field_errors())
        chosen = submitted_ballot(request.POST, method, sections)
    return render(
        request,
        "ballots/paper.html",
        {
            "cycle": cycle,
            "sections": sections,
            "method": method,
            "rules": cycle.rules,
            "voter_form": voter_form,
            "errors": errors,
            "chosen": chosen,
        },
        status=400 if voter_form.errors else 200,
    )
