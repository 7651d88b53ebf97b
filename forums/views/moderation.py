"""Reports and moderation: report, the queue, hide/restore/lock."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civic.access import require
from civic.flows import run, tell_errors
from civic.ratelimit import RateLimited
from forums import flows, services
from forums.forms import ReportForm
from forums.models import Comment, Proposal, Report, Topic
from forums.services import ForumError

from .common import _bad, _forum


@require_http_methods(["GET", "POST"])
def report(request, slug, kind, pk):
    forum = _forum(slug)
    model = {"comment": Comment, "proposal": Proposal}.get(kind)
    if model is None:
        raise Http404
    target = get_object_or_404(model, pk=pk, forum=forum)
    require(request, "forums.report", forum)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                user=request.user, target=target, reason=form.cleaned_data["reason"]
            )
        except (ForumError, RateLimited) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you. A moderator will look at it."))
            return redirect(target.get_absolute_url())
    return render(
        request,
        "forums/report.html",
        {"forum": forum, "form": form, "target": target},
        status=_bad(form),
    )


@require_POST
def moderate(request, slug, kind, pk):
    forum = _forum(slug)
    action = flows.Moderate()
    require(request, action.perm, forum)
    model = {
        "comment": Comment,
        "proposal": Proposal,
        "topic": Topic,
        "report": Report,
    }.get(kind)
    if model is None:
        raise Http404
    target = get_object_or_404(model, pk=pk, forum=forum)
    tell_errors(request, run(action, request, target))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect(forum)
