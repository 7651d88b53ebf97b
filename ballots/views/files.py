"""The anonymised ballots as files (.pb, .csv), and the recount of a published result or an uploaded file."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ballots import exports, selectors, tallying, tasks
from ballots.forms import (
    RecountForm,
)
from ballots.models import BEFORE_VOTING, Phase
from ballots.tally import pabulib
from ballots.tally.model import TallyError
from ballots.views.common import _cycle
from civic.access import require
from civic.audit import audit_record
from civic.money import amount

EXPORT_FORMATS = ("pb", "csv")


@require_http_methods(["GET", "POST"])
def export(request, slug, section_id, fmt):
    """A budget's anonymised ballots as a file. Once results are published the files
    are public (a link, not logged); before, an officer downloads them by a button
    (POST), and the download is in the audit log."""
    cycle = _cycle(request, slug)
    require(request, "ballots.export", cycle)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    if (
        cycle.phase == Phase.VOTING
        or cycle.frozen_rules is None
        or cycle.phase in BEFORE_VOTING
    ):
        messages.error(
            request, _("Ballots can only be exported after voting has closed.")
        )
        return redirect(cycle)
    if not cycle.results_published and request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    section = get_object_or_404(selectors.sections_of(cycle), pk=section_id)
    rules = cycle.rules
    export = exports.kept(section, rules)
    if export is None:
        tasks.request_build(section)  # without a broker it is built here and now
        export = exports.kept(section, rules)
    if export is None:
        pending = render(
            request,
            "ballots/export_pending.html",
            {"cycle": cycle, "section": section},
            status=202,
        )
        pending["Retry-After"] = "3"  # no timed reload on the page (WCAG 2.2.1)
        return pending
    if not cycle.results_published:
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
            found = exports.recount_published(tally, rules)
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
        titles = {p.code: f"{p.title} ({p.code})" for p in section.projects.all()}
        rows.append(
            {
                "section": section,
                "stored": stored,
                "recounted": found["selected"],
                "match": stored == found["selected"],
                # Which projects differ, by name: what a resident checks first.
                "only_recounted": [
                    titles.get(c, c) for c in found["selected"] if c not in stored
                ],
                "only_stored": [
                    titles.get(c, c) for c in stored if c not in found["selected"]
                ],
                "source": source,
                "spent": amount(found["spent"], cycle.currency),
                "sha_ok": found["sha_ok"],
            }
        )
    return render(
        request,
        "ballots/recount.html",
        {
            "cycle": cycle,
            "rows": rows,
            "form": form,
            "upload_error": upload_error,
            "command": tallying.cli_command(rules),
        },
        status=400 if upload_error else 200,
    )


def _tally_for_upload(text: str, tallies: list):
    """The published tally of the budget an uploaded .pb file is for."""

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
