"""A polling point's desk, for its poll officers during their shifts (and the officers
of its place): look a voter up, hand the screen over for a private vote, enter a paper
ballot from the box, keep the point's ballot account; and the officers' page granting
shifts. The rules are in ballots/services/polling.py."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ballots.forms import DeskRegisterForm
from ballots.models import Cycle, PollingPoint, PollOfficerShift, VotingCode
from ballots.services import casting, polling
from ballots.validation import BallotInvalid, VotingError
from ballots.views.voting import ballot_page
from civic.access import require
from civic.middleware import MfaRequired
from civic.models import User
from civic.selectors import mfa_set_up


def _point(request, pk, perm="ballots.run_polling_point") -> PollingPoint:
    point = get_object_or_404(PollingPoint.objects.select_related("place"), pk=pk)
    user = request.user
    if (
        perm == "ballots.run_polling_point"
        and user.is_authenticated
        and not mfa_set_up(user)
        and point.shifts.under_way().filter(user=user).exists()
    ):
        raise MfaRequired  # a poll officer on shift, without two-factor sign-in yet
    require(request, perm, point)
    return point


def _vote(point, slug) -> Cycle:
    return get_object_or_404(point.cycles.select_related("place"), slug=slug)


def _desk_url(point, cycle) -> str:
    return reverse("desk:desk", args=[point.pk]) + f"?vote={cycle.slug}"


@never_cache
def desk(request, pk, register_form=None):
    """The officer's screen: the votes the point serves, the look-up, the account."""
    point = _point(request, pk)
    votes = polling.open_votes(point)
    cycle = next((c for c in votes if c.slug == request.GET.get("vote")), None)
    if cycle is None and len(votes) == 1:
        cycle = votes[0]
    query = request.GET.get("q", "")
    return render(
        request,
        "ballots/desk.html",
        {
            "point": point,
            "votes": votes,
            "cycle": cycle,
            "query": query,
            "found": polling.look_up(cycle, query) if cycle and query else None,
            "account": polling.ballot_account(point, cycle) if cycle else None,
            "shift": point.shifts.under_way().filter(user=request.user).first(),
            "can_manage": request.user.has_perm("ballots.manage_cycle", point),
            "register_form": register_form or DeskRegisterForm(),
        },
        status=400 if register_form is not None else 200,
    )


@require_POST
def register(request, pk, slug):
    """A person not yet on the register, their residency checked at the desk; then
    looked up, ready to vote. A form with a problem comes back with what was typed."""
    point = _point(request, pk)
    cycle = _vote(point, slug)
    form = DeskRegisterForm(request.POST)
    if form.is_valid():
        try:
            person = polling.register_at_desk(
                officer=request.user, point=point, cycle=cycle, **form.cleaned_data
            )
        except VotingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(n)s is on the register as a resident, checked here.")
                % {"n": person.public_name},
            )
            return redirect(f"{_desk_url(point, cycle)}&q={person.email}")
    request.GET = request.GET.copy()
    request.GET["vote"] = cycle.slug
    return desk(request, pk, register_form=form)


@require_POST
def hand_over(request, pk, slug):
    """Hand the screen to a voter found at the desk (`voter`) or holding a voting
    code posted to their home (`code`: it travels only in POSTs), optionally to be
    helped; or, with `paper`, go on to key in the code holder's paper ballot."""
    point = _point(request, pk)
    cycle = _vote(point, slug)
    code = request.POST.get("code", "").strip()
    if code and request.POST.get("paper"):
        return paper(request, pk, slug)
    try:
        ticket = polling.kiosk_ticket(
            officer=request.user,
            point=point,
            cycle=cycle,
            assisted=request.POST.get("assisted") == "on",
            code=code,
            voter=None
            if code
            else get_object_or_404(User, pk=request.POST.get("voter") or None),
        )
    except VotingError as error:
        messages.error(request, error.message)
        return redirect(_desk_url(point, cycle))
    return redirect("desk:kiosk", pk=point.pk, slug=cycle.slug, ticket=ticket)


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request, pk, slug, ticket):
    """The ballot on the screen handed over: no navigation; back to the desk after
    the cast (no receipt is shown: the officer takes the screen back)."""
    point = _point(request, pk)
    cycle = _vote(point, slug)
    try:
        data = polling.read_ticket(ticket, point, request.user)
    except VotingError as error:
        messages.error(request, error.message)
        return redirect(_desk_url(point, cycle))
    voter = get_object_or_404(User, pk=data["v"]) if data.get("v") else None
    row = (
        get_object_or_404(
            VotingCode.objects.select_related("batch__place"), pk=data["k"]
        )
        if voter is None
        else None
    )
    receipt, page = ballot_page(
        request,
        cycle,
        home=casting.voter_home(voter, cycle) if voter else row.batch.place,
        seed=f"kiosk:{ticket}",
        cast=lambda choices: casting.paper_ballot_enter(
            actor=request.user,
            cycle=cycle,
            choices=choices,
            voter=voter,
            voting_code_id=row.pk if row else None,
            polling_point=point,
            on_screen=True,
            assisted=data["a"],
        ),
        template="ballots/kiosk_vote.html",
        point=point,
        desk_url=_desk_url(point, cycle),
        give_up_url=reverse("desk:give_up", args=[point.pk, cycle.slug, ticket]),
        back_href="",
        kiosk=True,
    )
    if page is not None:
        return page
    messages.success(
        request, _("A ballot was cast on the screen. Thank you for voting.")
    )
    return redirect(_desk_url(point, cycle))


@require_POST
def give_up(request, pk, slug, ticket):
    """The screen going back to the desk after two idle minutes (kiosk.js): the
    hand-over is void, so no one can come back to that ballot."""
    point = _point(request, pk)
    try:
        polling.read_ticket(ticket, point, request.user)  # this desk's own, only
    except VotingError:
        return HttpResponse(status=400)
    polling.void_ticket(ticket)
    return HttpResponse(status=204)


@never_cache
@require_http_methods(["GET", "POST"])
def paper(request, pk, slug):
    """A paper ballot from the point's box, keyed in by the poll officer for a voter
    found at the desk (`voter`) or holding a posted code (`code`)."""
    point = _point(request, pk)
    cycle = _vote(point, slug)
    source = request.POST if request.method == "POST" else request.GET
    voter = User.objects.filter(pk=source.get("voter") or None).first()
    code = request.POST.get("code", "").strip()  # only ever POSTed, never in an address
    if voter is None and not code:
        messages.error(request, _("Look the voter up, or enter their posted code."))
        return redirect(_desk_url(point, cycle))
    starting = request.POST.get("paper") is not None  # from the desk: show, not cast
    receipt, page = ballot_page(
        request,
        cycle,
        home=casting.voter_home(voter, cycle) if voter else None,
        seed="paper",
        cast=None
        if starting
        else lambda choices: casting.paper_ballot_enter(
            actor=request.user,
            cycle=cycle,
            choices=choices,
            voter=voter,
            code=code,
            polling_point=point,
        ),
        hidden={"voter": voter.pk} if voter else {"code": code},
        form_action=reverse("desk:paper", args=[point.pk, cycle.slug]),
        back_href=_desk_url(point, cycle),
        back_label=point.name,
        paper_for=voter.public_name if voter else _("a posted code"),
    )
    if page is not None:
        return page
    messages.success(request, _("The paper ballot was entered."))
    return redirect(_desk_url(point, cycle))


@require_POST
def spoilt(request, pk, slug):
    point = _point(request, pk)
    cycle = _vote(point, slug)
    try:
        number = int(request.POST.get("number", ""))
        polling.spoilt_record(
            actor=request.user, point=point, cycle=cycle, number=number
        )
    except ValueError:
        messages.error(request, _("Give the number of spoilt papers."))
    except VotingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Spoilt papers recorded."))
    return redirect(_desk_url(point, cycle))


def _when(value: str):
    parsed = parse_datetime(value or "")
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@require_http_methods(["GET", "POST"])
def shifts(request, pk):
    """Officers of the point's place grant poll officers their shifts, or end one."""
    point = _point(request, pk, "ballots.manage_cycle")
    if request.method == "POST":
        try:
            if request.POST.get("end"):
                shift = get_object_or_404(
                    PollOfficerShift, pk=request.POST["end"], point=point
                )
                polling.shift_end(actor=request.user, shift=shift)
                messages.success(
                    request,
                    _("The shift has ended, or was cancelled if it had not started."),
                )
            else:
                starts, ends = (
                    _when(request.POST.get("starts_at")),
                    _when(request.POST.get("ends_at")),
                )
                if starts is None or ends is None:
                    raise BallotInvalid([_("Give when the shift starts and ends.")])
                polling.shift_grant(
                    actor=request.user,
                    point=point,
                    email=request.POST.get("email", ""),
                    starts_at=starts,
                    ends_at=ends,
                )
                messages.success(request, _("The poll officer's shift is set."))
        except BallotInvalid as error:
            messages.error(request, " ".join(error.errors))
        except VotingError as error:
            messages.error(request, error.message)
        return redirect("desk:shifts", pk=point.pk)
    now = timezone.localtime()
    return render(
        request,
        "ballots/desk_shifts.html",
        {
            "point": point,
            "shifts": point.shifts.select_related("user").filter(
                ends_at__gt=now - dt.timedelta(days=1)
            ),
            "now": now,
            "desk_url": reverse("desk:desk", args=[point.pk]),
            "start_default": now.strftime("%Y-%m-%dT%H:00"),
            "end_default": (now + dt.timedelta(hours=8)).strftime("%Y-%m-%dT%H:00"),
        },
    )
