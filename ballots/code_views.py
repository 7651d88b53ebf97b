"""Voting with a posted code (no account), and the officers' page that issues codes."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from civic import gov_notify, letters
from civic.access import require
from civic.audit import audit_record
from civic.forms import AddressListForm
from civic.ratelimit import RateLimited, limit
from forums.printing import CODE_FORMATS, codes_response, notify_letter_pdf, wrapped

from . import services, voting_codes
from .forms import (
    RevokeCodeForm,
    VotingCodeBatchForm,
    VotingCodeForm,
)
from .models import Phase, VotingCodeBatch
from .validation import BallotInvalid, VotingError
from .views import _cycle, ballot_page

SESSION_KEY = "nb_voting_code_{}"
# Set once the code in this browser has voted: opening its ballot again says so.
VOTED_KEY = "nb_voting_code_voted_{}"
CODE_ATTEMPTS = (60, 600)  # per address, per ten minutes: a library kiosk stays usable


def slip_lines(batch: VotingCodeBatch, code: str, width: float):
    """One resident's letter slip, in the active language."""
    cycle = batch.cycle
    url = settings.WAGTAILADMIN_BASE_URL + reverse("ballots:code", args=[cycle.slug])
    return wrapped(
        [
            ("Helvetica-Bold", 14, _("Your vote: %(c)s") % {"c": cycle.name}),
            (
                "Helvetica",
                10.5,
                _(
                    "Public bodies have pooled money for %(p)s. Residents decide how it "
                    "is spent. Vote online with this code; you do not need an account:"
                )
                % {"p": batch.place.name},
            ),
            ("Courier-Bold", 22, code),
            ("Helvetica", 10, _("Go to %(u)s") % {"u": url}),
            (
                "Helvetica",
                10,
                _(
                    "The code casts one secret ballot, online or at a polling place. "
                    "Nobody can see how you voted."
                ),
            ),
        ],
        width,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def code_start(request, slug):
    """Enter the code from the letter; a valid one opens the ballot."""
    cycle = _cycle(request, slug)
    require(request, "ballots.vote_with_code", cycle)
    form = VotingCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            limit(
                f"voting-code:{request.META.get('REMOTE_ADDR', '')}",
                max_hits=CODE_ATTEMPTS[0],
                per_seconds=CODE_ATTEMPTS[1],
                what=_("code attempts"),
            )
            row = voting_codes.check(cycle, form.cleaned_data["code"])
        except RateLimited as error:
            form.add_error(None, error.message)
        except BallotInvalid as error:
            form.add_error("code", error.errors[0])
        else:
            request.session[SESSION_KEY.format(cycle.pk)] = row.plain
            return redirect("ballots:code_ballot", slug=cycle.slug)
    return render(
        request,
        "ballots/code_start.html",
        {"cycle": cycle, "form": form, "open": cycle.phase == Phase.VOTING},
        status=400 if form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def code_ballot(request, slug):
    """The ballot for the code held in the session: the budgets of the place the code
    was posted to, cast once."""
    cycle = _cycle(request, slug)
    require(request, "ballots.vote_with_code", cycle)
    code = request.session.get(SESSION_KEY.format(cycle.pk), "")
    if not code and request.session.get(VOTED_KEY.format(cycle.pk)):
        messages.info(
            request,
            _(
                "The code used in this browser has already voted: its ballot is in "
                "the box. Each code votes once."
            ),
        )
        return redirect("ballots:code", slug=cycle.slug)
    try:
        row = voting_codes.check(cycle, code)
    except BallotInvalid as error:
        request.session.pop(SESSION_KEY.format(cycle.pk), None)
        messages.error(request, error.errors[0])
        return redirect("ballots:code", slug=cycle.slug)
    receipt, page = ballot_page(
        request,
        cycle,
        home=row.batch.place,
        seed=f"code:{row.pk}",
        cast=lambda choices: services.ballot_cast_with_code(
            cycle=cycle, code=code, choices=choices
        ),
        with_code=row.batch.place,
    )
    if page is not None:
        return page
    request.session.pop(SESSION_KEY.format(cycle.pk), None)
    request.session[VOTED_KEY.format(cycle.pk)] = True
    return render(
        request,
        "ballots/voted.html",
        {"cycle": cycle, "receipt": receipt, "with_code": True},
    )


@require_http_methods(["GET", "POST"])
def codes(request, slug):
    """Officers: issue a batch for a place, download it to print, cancel codes."""
    cycle = _cycle(request, slug)
    require(request, "ballots.manage_codes", cycle)
    form = VotingCodeBatchForm(
        request.POST or None, places=voting_codes.places_for(cycle)
    )
    if request.method == "POST" and form.is_valid():
        try:
            voting_codes.generate(actor=request.user, cycle=cycle, **form.cleaned_data)
        except VotingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Codes generated. Download them to print."))
            return redirect("ballots:codes", slug=cycle.slug)
    batches = cycle.code_batches.select_related("place", "created_by").annotate(
        total=Count("codes"),
        used=Count("codes", filter=Q(codes__used_at__isnull=False)),
        revoked=Count("codes", filter=Q(codes__revoked_at__isnull=False)),
    )
    return render(
        request,
        "ballots/codes.html",
        {
            "cycle": cycle,
            "form": form,
            "revoke_form": RevokeCodeForm(),
            "batches": batches,
            "allowed": cycle.accepts_voting_codes,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def code_revoke(request, slug):
    cycle = _cycle(request, slug)
    require(request, "ballots.manage_codes", cycle)
    form = RevokeCodeForm(request.POST)
    if form.is_valid():
        try:
            row = voting_codes.revoke(
                actor=request.user, cycle=cycle, code=form.cleaned_data["code"]
            )
        except VotingError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Code %(c)s is cancelled: it cannot vote.") % {"c": row.plain},
            )
    else:
        messages.error(request, _("Enter the code to cancel."))
    return redirect("ballots:codes", slug=cycle.slug)


@require_POST
def batch_revoke(request, slug, pk):
    cycle = _cycle(request, slug)
    require(request, "ballots.manage_codes", cycle)
    batch = get_object_or_404(VotingCodeBatch, pk=pk, cycle=cycle)
    n = voting_codes.revoke_batch(actor=request.user, batch=batch)
    messages.success(
        request, _("%(n)s unused codes cancelled in this batch.") % {"n": n}
    )
    return redirect("ballots:codes", slug=cycle.slug)


@require_POST
def codes_download(request, slug, pk, fmt):
    """The batch's codes that can still vote, as letters to print (PDF) or CSV."""
    cycle = _cycle(request, slug)
    require(request, "ballots.manage_codes", cycle)
    batch = get_object_or_404(VotingCodeBatch, pk=pk, cycle=cycle)
    if fmt not in CODE_FORMATS:
        raise Http404
    audit_record(
        actor=request.user,
        action="voting_codes.export",
        target=batch,
        place=cycle.place,
        summary=_("Voting codes downloaded as %(f)s") % {"f": fmt.upper()},
    )
    unused = batch.codes.filter(used_at__isnull=True, revoked_at__isnull=True)
    return codes_response(
        fmt,
        filename=f"voting-codes-{cycle.slug}-{batch.pk}",
        header=["code", "place", "cycle"],
        rows=[[row.plain, batch.place.name, cycle.name] for row in unused],
        title=_("Voting codes for %(p)s") % {"p": batch.place.name},
        lines_for=lambda code, width: slip_lines(batch, code, width),
    )


@require_http_methods(["GET", "POST"])
def code_letters(request, slug, pk):
    """Officers: post the batch's codes as letters through GOV.UK Notify, one to each
    address of an uploaded list, and follow each letter until Royal Mail has it."""
    cycle = _cycle(request, slug)
    require(request, "ballots.manage_codes", cycle)
    batch = get_object_or_404(
        VotingCodeBatch.objects.select_related("place"), pk=pk, cycle=cycle
    )
    form = AddressListForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and gov_notify.enabled() and form.is_valid():
        try:
            addresses = letters.parse_addresses(form.cleaned_data["file"].read())
            n = voting_codes.post_letters(
                actor=request.user,
                batch=batch,
                addresses=addresses,
                letter_for=lambda address, code: letter_pdf(batch, address, code),
            )
        except (letters.AddressError, VotingError) as error:
            form.add_error("file", getattr(error, "message", str(error)))
        else:
            messages.success(
                request,
                _("%(n)s letters are on their way to GOV.UK Notify.") % {"n": n},
            )
            return redirect("ballots:code_letters", slug=cycle.slug, pk=batch.pk)
    return render(
        request,
        "ballots/code_letters.html",
        {
            "cycle": cycle,
            "batch": batch,
            "form": form,
            "notify": gov_notify.enabled(),
            "letters": letters.letters_for(batch),
        },
        status=400 if form.errors else 200,
    )


def letter_pdf(batch: VotingCodeBatch, address: list[str], code: str) -> bytes:
    """One resident's voting-code letter in Notify's letter format."""
    return notify_letter_pdf(
        _("Your vote: %(c)s") % {"c": batch.cycle.name},
        address,
        [batch.place.name, settings.WAGTAILADMIN_BASE_URL.split("//")[-1]],
        lambda width: slip_lines(batch, code, width),
    )
