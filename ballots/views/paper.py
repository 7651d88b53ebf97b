"""Paper ballots keyed in by organisers."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ballots import selectors, services
from ballots.forms import (
    PaperVoterForm,
    parse_ballot,
    submitted_ballot,
)
from ballots.services import VotingError
from ballots.validation import BallotInvalid
from ballots.views.common import _cycle
from civic.access import require
from civic.models import User


def paper_submit(actor, cycle, voter_form, post, sections) -> tuple[str, list[str]]:
    """Record one paper ballot from a valid voter form and the keyed-in choices:
    (receipt code, []) or ("", what is wrong). Nothing is stored on error."""
    email, code = voter_form.cleaned_data["email"], voter_form.cleaned_data["code"]
    voter = None
    if email:
        voter = User.objects.filter(email__iexact=email).first()
        if voter is None:
            return "", [_("No member has that email address.")]
    try:
        receipt = services.paper_ballot_enter(
            actor=actor,
            cycle=cycle,
            voter=voter,
            code=code,
            choices=parse_ballot(post, cycle.rules["ballot_method"], sections),
        )
    except BallotInvalid as error:
        return "", error.errors
    except VotingError as error:
        return "", [error.message]
    return receipt, []


@require_http_methods(["GET", "POST"])
def paper(request, slug):
    cycle = _cycle(request, slug)
    require(request, "ballots.enter_paper", cycle)
    method = cycle.rules["ballot_method"]
    sections = selectors.ballot_sections(cycle, seed="paper", sort="category")
    voter_form = PaperVoterForm(request.POST or None)
    errors: list[str] = []
    chosen = (
        submitted_ballot(request.POST, method, sections)
        if request.method == "POST"
        else {}
    )
    if request.method == "POST" and voter_form.is_valid():
        receipt_code, errors = paper_submit(
            request.user, cycle, voter_form, request.POST, sections
        )
        if receipt_code:
            messages.success(
                request,
                _("Paper ballot recorded. Give the voter their receipt: %(r)s")
                % {"r": receipt_code},
            )
            return redirect("ballots:paper", slug=cycle.slug)
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
        status=400 if errors else 200,
    )
