"""Residents' ideas: submit, edit, review."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civic.access import require
from civic.flows import run
from civic.ratelimit import RateLimited
from forums import flows, selectors, services
from forums.forms import IdeaForm
from forums.models import Idea, IdeaStatus
from forums.services import ForumError

from .common import GALLERY, _bad, _forum

# Ideas ------------------------------------------------------------------------------


def ideas(request, slug):
    forum = _forum(slug)
    require(request, "forums.view_forum", forum)
    return render(
        request,
        "forums/ideas.html",
        {
            "forum": forum,
            "ideas": selectors.ideas_for_review(forum)[:300],
            "is_organiser": request.user.has_perm("forums.review_ideas", forum),
        },
    )


@require_http_methods(["GET", "POST"])
def idea_new(request, slug):
    forum = _forum(slug)
    require(request, "forums.submit_idea", forum)
    form = IdeaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_submit(
                author=request.user, forum=forum, data=form.to_data()
            )
        except (RateLimited, ForumError) as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Thank you. The organisers will review your idea.")
            )
            return redirect(idea)
    return render(
        request,
        "forums/idea_form.html",
        {"forum": forum, "form": form},
        status=_bad(form),
    )


def idea_detail(request, slug, pk):
    forum = _forum(slug)
    idea = get_object_or_404(
        Idea.objects.select_related(
            "author", "category", "merged_into"
        ).prefetch_related(*GALLERY),
        pk=pk,
        forum=forum,
    )
    require(request, "forums.view_idea", idea)
    can_review = request.user.has_perm("forums.review_ideas", forum)
    return render(
        request,
        "forums/idea_detail.html",
        {
            "forum": forum,
            "idea": idea,
            "can_review": can_review,
            "can_edit": request.user.has_perm("forums.edit_idea", idea)
            and idea.status in (IdeaStatus.SUBMITTED, IdeaStatus.CHANGES_REQUESTED),
            "review_form": flows.IdeaReview().get_form(idea) if can_review else None,
        },
    )


@require_http_methods(["GET", "POST"])
def idea_edit(request, slug, pk):
    forum = _forum(slug)
    idea = get_object_or_404(Idea, pk=pk, forum=forum)
    require(request, "forums.edit_idea", idea)
    form = IdeaForm(
        request.POST or None,
        request.FILES or None,
        instance=Idea.objects.get(pk=idea.pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_update(author=request.user, idea=idea, data=form.to_data())
        except ForumError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Your idea was updated and sent for review again.")
            )
            return redirect(idea)
    return render(
        request,
        "forums/idea_form.html",
        {"forum": forum, "form": form, "idea": idea},
        status=_bad(form),
    )


@require_POST
def idea_review(request, slug, pk):
    forum = _forum(slug)
    idea = get_object_or_404(Idea, pk=pk, forum=forum)
    action = flows.IdeaReview()
    action.require(request, idea)
    outcome = run(action, request, idea)
    if outcome.done:
        return redirect(outcome.result)
    form = outcome.form
    return render(
        request,
        "forums/idea_detail.html",
        {"forum": forum, "idea": idea, "can_review": True, "review_form": form},
        status=400,
    )
