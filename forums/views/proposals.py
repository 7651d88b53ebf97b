"""Proposals: the page, new, edit, and moves through the workflow."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail import hooks

from civic.access import require
from civic.flows import run, tell_errors
from forums import flows, selectors, services
from forums.forms import CommentForm, ProposalForm
from forums.models import Proposal
from forums.services import ForumError

from .common import GALLERY, _bad, _forum

# Proposals --------------------------------------------------------------------------


def proposal_detail(request, slug, pk):
    forum = _forum(slug)
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "category", "author", "forum__place"
        ).prefetch_related(*GALLERY),
        pk=pk,
        forum=forum,
    )
    require(request, "forums.view_proposal", proposal)
    transition = flows.ProposalTransition()
    targets = transition.targets_for(request.user, proposal)
    can_transition = (
        request.user.has_perm("forums.transition_proposal", proposal) and targets
    )
    return render(
        request,
        "forums/proposal_detail.html",
        {
            "forum": forum,
            "proposal": proposal,
            "thread": proposal,
            "thread_kind": "proposal",
            "transitions": proposal.transitions.select_related("actor"),
            "decisions": proposal.decisions.filter(published_at__isnull=False),
            "location": selectors.point_feature(proposal),
            "milestones": proposal.milestones.all(),
            "entries": proposal.ballot_entries.select_related("section__cycle"),
            "tree": selectors.comment_tree(proposal),
            "comment_form": CommentForm(),
            "can_comment": request.user.has_perm("forums.comment", proposal),
            "can_react": request.user.has_perm("forums.react", forum),
            "can_moderate": request.user.has_perm("forums.moderate", forum),
            "can_edit": request.user.has_perm("forums.edit_proposal", proposal),
            "transition_form": transition.get_form(proposal, targets=targets)
            if can_transition
            else None,
            "user_id": request.user.pk,
            # What the layers above add (wagtail hook "proposal_page"): its supports
            # while a vote collects them (ballots/wagtail_hooks.py).
            **{
                key: value
                for extend in hooks.get_hooks("proposal_page")
                for key, value in extend(proposal, request.user).items()
            },
        },
    )


@require_http_methods(["GET", "POST"])
def proposal_new(request, slug):
    forum = _forum(slug)
    require(request, "forums.create_proposal", forum)
    form = ProposalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                actor=request.user, forum=forum, data=form.to_data()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Draft proposal created."))
            return redirect(proposal)
    return render(
        request,
        "forums/proposal_form.html",
        {"forum": forum, "form": form},
        status=_bad(form),
    )


@require_http_methods(["GET", "POST"])
def proposal_edit(request, slug, pk):
    forum = _forum(slug)
    proposal = get_object_or_404(Proposal, pk=pk, forum=forum)
    require(request, "forums.edit_proposal", proposal)
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        instance=Proposal.objects.get(pk=proposal.pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(
                actor=request.user, proposal=proposal, data=form.to_data()
            )
        except ForumError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            for msg in error.messages:
                form.add_error(None, msg)
        else:
            messages.success(request, _("Proposal saved."))
            return redirect(proposal)
    return render(
        request,
        "forums/proposal_form.html",
        {"forum": forum, "form": form, "proposal": proposal},
        status=_bad(form),
    )


@require_POST
def proposal_transition(request, slug, pk):
    forum = _forum(slug)
    proposal = get_object_or_404(Proposal, pk=pk, forum=forum)
    action = flows.ProposalTransition()
    action.require(request, proposal)
    tell_errors(request, run(action, request, proposal))
    return redirect(proposal)
