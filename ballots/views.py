"""Cycle, voting, receipt, results, paper entry, export and recount pages."""

from __future__ import annotations

from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from civic.access import require
from civic.models import User
from civic.money import pounds

from . import exports, selectors, services, tallying
from .forms import (
    PaperVoterForm,
    PhaseForm,
    ReceiptForm,
    RecountForm,
    parse_ballot,
    submitted_ballot,
)
from .models import Cycle, Phase, VoterRecord
from .results import results_context
from .services import VotingError
from .tally.model import TallyError
from .validation import BallotInvalid
from .voting_codes import codes_allowed

RECEIPT_COOKIE = "nb_receipt_{}"


def _cycle(request, slug) -> Cycle:
    """The cycle. Looking at a page (GET) never changes anything: phases move by date
    through the scheduled `advance_phases`. A request that acts on the cycle (POST)
    first moves it to the phase its dates say, so nobody can vote after voting closed
    because the scheduler is a minute late."""
    cycle = get_object_or_404(Cycle.objects.select_related("place"), slug=slug)
    if request.method == "POST":
        return services.cycle_refresh_phase(cycle)
    return cycle


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


def phase_message(phase: str, now: bool) -> str:
    """What an officer is told after asking for a phase change (here and in the back
    office): made, or, for publishing, counting in the background."""
    if now:
        return _("The cycle is now: %(p)s.") % {"p": Phase(phase).label}
    return _(
        "Counting every ballot has started in the background. The result is "
        "published when the count is done, usually within a minute: reload this page."
    )


def count_message(now: bool) -> str:
    if now:
        return _(
            "Counted. The result is published when the cycle moves to 'Results published'."
        )
    return _(
        "Counting every ballot has started in the background; the result appears on "
        "this page when the count is done, usually within a minute."
    )


def _receipt_from_cookie(request, cycle) -> str:
    raw = request.COOKIES.get(RECEIPT_COOKIE.format(cycle.pk), "")
    try:
        return signing.loads(raw, salt="nb-receipt") if raw else ""
    except signing.BadSignature:
        return ""


def ballot_page(request, cycle, *, home, seed: str, cast, **context):
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
        "ballots/vote.html",
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


EXPORT_FORMATS = ("pb", "csv")


def export(request, slug, section_id, fmt):
    cycle = _cycle(request, slug)
    require(request, "ballots.export", cycle)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    if (
        cycle.phase == Phase.VOTING
        or cycle.frozen_rules is None
        or cycle.phase in (Phase.IDEAS, Phase.REVIEW, Phase.SHORTLIST)
    ):
        messages.error(
            request, _("Ballots can only be exported after voting has closed.")
        )
        return redirect(cycle)
    try:
        section = selectors.section_by_id(cycle, section_id)
    except Exception:
        raise Http404 from None
    rules = cycle.rules
    export = exports.kept(section, rules)
    if export is None:
        exports.request_build(section)  # without a broker it is built here and now
        export = exports.kept(section, rules)
    if export is None:
        return render(
            request,
            "ballots/export_pending.html",
            {"cycle": cycle, "section": section},
            status=202,
        )
    from civic.audit import audit_record

    if request.user.is_authenticated:
        audit_record(
            actor=request.user,
            action="cycle.export",
            target=cycle,
            place=cycle.place,
            summary=_("%(c)s exported as %(f)s") % {"c": cycle.name, "f": fmt.upper()},
        )
    if fmt == "pb":
        response = HttpResponse(export.pb, content_type="text/plain; charset=utf-8")
    else:
        response = HttpResponse(export.csv, content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="{cycle.slug}-{section.place.slug}.{fmt}"'
    )
    return response


@require_http_methods(["GET", "POST"])
def recount(request, slug):
    """Count the published ballots again (or an uploaded .pb file) and compare.

    An uploaded file holds one budget's ballots: it is read once and recounted for the
    budget its META `unit` names (the only budget, in a single-budget cycle)."""
    cycle = _cycle(request, slug)
    require(request, "ballots.recount", cycle)
    form = RecountForm(request.POST or None, request.FILES or None)
    tallies = list(selectors.latest_tallies(cycle))
    rules = cycle.rules
    upload = None
    upload_error = ""
    if request.method == "POST" and form.is_valid() and form.cleaned_data.get("file"):
        try:
            upload = form.cleaned_data["file"].read().decode("utf-8-sig")
        except UnicodeDecodeError:
            upload_error = _("That file is not UTF-8 text.")
        else:
            try:
                tallies = [_tally_for_upload(upload, tallies)]
            except TallyError as error:
                upload_error = str(error)
    rows = []
    for tally in tallies if not upload_error else []:
        section = tally.section_cached
        if upload is None:
            found = tallying.recount_published(tally, rules)
            source = _("the published ballots")
        else:
            try:
                found = tallying.recount_summary(upload, tally, rules)
            except TallyError as error:
                upload_error = str(error)
                rows = []
                break
            source = _("your file")
        stored = sorted(tally.result["selected"])
        rows.append(
            {
                "section": section,
                "stored": stored,
                "recounted": found["selected"],
                "match": stored == found["selected"],
                "source": source,
                "spent": pounds(found["spent"]),
                "sha_ok": found["sha_ok"],
            }
        )
    return render(
        request,
        "ballots/recount.html",
        {"cycle": cycle, "rows": rows, "form": form, "upload_error": upload_error},
        status=400 if upload_error else 200,
    )


def _tally_for_upload(text: str, tallies: list):
    """The published tally of the budget an uploaded .pb file is for."""
    from .tally import pabulib

    if not tallies:
        raise TallyError(_("There is no published result to compare the file with."))
    if len(tallies) == 1:
        return tallies[0]
    unit = pabulib.parse(text).meta.get("unit", "").strip()
    for tally in tallies:
        if tally.section_cached.place.name == unit:
            return tally
    names = ", ".join(t.section_cached.place.name for t in tallies)
    raise TallyError(
        _(
            "The file's META 'unit' is %(unit)s, which is not one of this cycle's "
            "budgets (%(names)s). Upload the file exported for one of them."
        )
        % {"unit": unit or _("missing"), "names": names}
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


def statistics(request, slug):
    from .statistics import cycle_statistics

    cycle = _cycle(request, slug)
    require(request, "ballots.view_cycle", cycle)
    return render(
        request, "ballots/statistics.html", {"cycle": cycle, **cycle_statistics(cycle)}
    )
