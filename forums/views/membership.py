"""Joining a forum, and the organisers' members and verification codes pages."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from civic.access import require
from civic.framework import resolve_rules
from forums import selectors, services
from forums.forms import JoinForm
from forums.models import MembershipStatus
from forums.services import ForumError

from .common import _bad, _forum


@require_http_methods(["GET", "POST"])
def join(request, slug):
    forum = _forum(slug)
    require(request, "forums.join_forum", forum)
    methods = resolve_rules(forum.place).verification_methods
    form = JoinForm(
        request.POST or None,
        methods=methods,
        initial={"postcode": request.user.postcode},
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.forum_join(
                user=request.user,
                forum=forum,
                method=form.cleaned_data["method"],
                postcode=form.cleaned_data["postcode"],
                code=form.cleaned_data["code"],
                message=form.cleaned_data["message"],
            )
        except ForumError as error:
            form.add_error(None, error.message)
        else:
            if membership.status == MembershipStatus.VERIFIED:
                messages.success(
                    request,
                    _("Welcome! You are now a verified member of %(f)s.")
                    % {"f": forum},
                )
            else:
                messages.info(
                    request, _("Thanks. An organiser will check your request soon.")
                )
            return redirect(forum)
    return render(
        request,
        "forums/join.html",
        {
            "forum": forum,
            "form": form,
            "membership": selectors.membership_of(request.user, forum),
        },
        status=_bad(form),
    )
