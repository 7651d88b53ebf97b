"""Voting: the ballot page, the receipt check, and casting over JSON."""

from __future__ import annotations

from django.core import signing
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ballots import selectors, services
from ballots.forms import (
    ReceiptForm,
    parse_ballot,
    submitted_ballot,
)
from ballots.models import Phase, VoterRecord
from ballots.services import VotingError
from ballots.validation import BallotInvalid
from ballots.views.common import RECEIPT_COOKIE, _cycle, _receipt_from_cookie
from civic.access import require


def ballot_page(
    request, cycle, *, home, seed: str, cast, template="ballots/vote.html", **context
):
    """The ballot of a voter whose home is `home`: the budgets they may fill, in the
    order `seed` shuffles them to. On a POST, when `cast` is given, the ballot is read
    and `cast(choices)` stores it. Returns (receipt, None) once stored, or (None, the
    ballot page) showing what was entered and every error."""
    rules = cycle.rules
    method = rules["ballot_method"]
    sort = request.GET.get("sort", "")
    sections = selectors.ballot_sections(cycle, seed=seed, sort=sort)
    allowed, max_sections = services.allowed_sections(cycle, home)
    sections = [s for s in sections if s["section"].pk in allowed]
    errors: list[str] = []
    chosen: dict = {}
    if request.method == "POST" and cast is not None:
        chosen = submitted_ballot(request.POST, method, sections)
        try:
            return cast(parse_ballot(request.POST, method, sections)), None
        except BallotInvalid as error:
            errors = error.errors
        except VotingError as error:
            errors = [error.message]
    page = render(
        request,
        template,
        {
            "cycle": cycle,
            "rules": rules,
            "method": method,
            "sections": sections,
            "problems": [],
            "errors": errors,
            "chosen": chosen,
            "max_sections": max_sections if len(sections) > 1 else None,
            "sort": sort,
            # The way back: to the cycle, or (paper at a desk) to the desk; none on a
            # screen handed over to a voter (kiosk: no site navigation at all).
            "back_href": cycle.get_absolute_url(),
            "back_label": cycle.name,
            # One budget at a time (ballots/static/ballots/focus.js): asked for, or
            # always on a screen handed over at a polling point.
            "focus": request.GET.get("focus") == "1" or context.get("kiosk", False),
            **context,
        },
        status=400 if errors else 200,
    )
    return None, page


@never_cache
@require_http_methods(["GET", "POST"])
def vote(request, slug):
    cycle = _cycle(request, slug)
    require(request, "ballots.vote", cycle)
    problems = (
        services.eligibility_problems(request.user, cycle)
        if cycle.phase == Phase.VOTING
        else [_("Voting is not open in this cycle.")]
    )
    has_voted = VoterRecord.objects.filter(cycle=cycle, user=request.user).exists()
    earlier = _receipt_from_cookie(request, cycle)
    receipt, page = ballot_page(
        request,
        cycle,
        home=services.voter_home(request.user, cycle),
        seed=f"{request.user.pk}:{cycle.pk}",
        cast=None
        if problems
        else lambda choices: services.ballot_cast(
            user=request.user,
            cycle=cycle,
            choices=choices,
            receipt=request.POST.get("receipt") or earlier,
        ),
        problems=problems,
        has_voted=has_voted,
        needs_receipt=has_voted and not earlier,
    )
    if page is not None:
        return page
    response = render(
        request, "ballots/voted.html", {"cycle": cycle, "receipt": receipt}
    )
    response.set_cookie(
        RECEIPT_COOKIE.format(cycle.pk),
        signing.dumps(receipt, salt="nb-receipt"),
        max_age=60 * 60 * 24 * 120,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@require_http_methods(["GET", "POST"])
def receipt(request, slug):
    cycle = _cycle(request, slug)
    require(request, "ballots.check_receipt", cycle)
    form = ReceiptForm(request.POST or None)
    ballot = None
    checked = False
    if request.method == "POST" and form.is_valid():
        checked = True
        ballot = services.receipt_check(cycle, form.cleaned_data["receipt"])
    titles = {}
    if ballot is not None:
        for section in cycle.sections.prefetch_related("projects"):
            titles[str(section.pk)] = (
                section.place.name,
                {p.code: p.title for p in section.projects.all()},
            )
    return render(
        request,
        "ballots/receipt.html",
        {
            "cycle": cycle,
            "form": form,
            "ballot": ballot,
            "checked": checked,
            "titles": titles,
            "method": cycle.rules["ballot_method"],
        },
    )


@require_POST
def cast_json(request, slug):
    """POST {"choices": {"<section id>": …}, "receipt": "…"} → {"receipt": "…"}.

    The same service and rules as the form; for scripts, assistive front ends and the
    casting benchmark. CSRF-protected like every POST (X-CSRFToken header).
    """
    import json

    from django.http import JsonResponse

    if not request.user.is_authenticated:
        return JsonResponse({"errors": [_("Sign in to vote.")]}, status=401)
    cycle = _cycle(request, slug)
    require(request, "ballots.vote", cycle)
    try:
        body = json.loads(request.body or b"{}")
        choices = body["choices"]
        if not isinstance(choices, dict):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        return JsonResponse(
            {"errors": [_("Send JSON with a 'choices' object.")]}, status=400
        )
    try:
        code = services.ballot_cast(
            user=request.user,
            cycle=cycle,
            choices=choices,
            receipt=str(body.get("receipt") or ""),
        )
    except BallotInvalid as error:
        return JsonResponse({"errors": error.errors}, status=400)
    except VotingError as error:
        return JsonResponse({"errors": [error.message]}, status=409)
    return JsonResponse({"receipt": code}, status=201)
