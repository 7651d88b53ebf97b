"""Debate: topics, threaded comments, reactions."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civic.access import require
from civic.ratelimit import RateLimited
from forums import selectors, services
from forums.forms import CommentForm, TopicForm
from forums.models import Comment, Proposal, Topic
from forums.services import ForumError

from .common import _bad, _forum

# Debate -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def topic_new(request, slug):
    forum = _forum(slug)
    require(request, "forums.start_topic", forum)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.topic_create(
                author=request.user, forum=forum, **form.cleaned_data
            )
        except (RateLimited, ForumError) as error:
            form.add_error(None, error.message)
        else:
            return redirect(topic)
    return render(
        request,
        "forums/topic_form.html",
        {"forum": forum, "form": form},
        status=_bad(form),
    )


def topic_detail(request, slug, pk):
    forum = _forum(slug)
    topic = get_object_or_404(
        Topic.objects.select_related("author"), pk=pk, forum=forum
    )
    require(request, "forums.view_forum", forum)
    if topic.hidden and not request.user.has_perm("forums.moderate", forum):
        raise Http404
    return render(
        request,
        "forums/topic_detail.html",
        {
            "forum": forum,
            "topic": topic,
            "thread": topic,
            "thread_kind": "topic",
            "tree": selectors.comment_tree(topic),
            "comment_form": CommentForm(),
            "can_comment": request.user.has_perm("forums.comment", topic),
            "can_react": request.user.has_perm("forums.react", forum),
            "can_moderate": request.user.has_perm("forums.moderate", forum),
            "user_id": request.user.pk,
        },
    )


def _thread(forum, kind, pk):
    model = {"proposal": Proposal, "topic": Topic}.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model, pk=pk, forum=forum)


@require_POST
def comment_post(request, slug, kind, pk):
    forum = _forum(slug)
    thread = _thread(forum, kind, pk)
    if kind == "proposal":
        require(request, "forums.view_proposal", thread)
    require(request, "forums.comment", thread)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Write something before posting (at most 10,000 characters).")
        )
        return redirect(thread)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = get_object_or_404(Comment, pk=form.cleaned_data["parent"], forum=forum)
    try:
        comment = services.comment_post(
            author=request.user,
            thread=thread,
            body=form.cleaned_data["body"],
            parent=parent,
        )
    except (ForumError, RateLimited) as error:
        messages.error(request, error.message)
        return redirect(thread)
    return redirect(comment.get_absolute_url())


@require_http_methods(["GET", "POST"])
def comment_edit(request, slug, pk):
    forum = _forum(slug)
    comment = get_object_or_404(Comment, pk=pk, forum=forum)
    require(request, "forums.edit_comment", comment)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                author=request.user, comment=comment, body=form.cleaned_data["body"]
            )
        except ForumError as error:
            form.add_error(None, error.message)
        else:
            return redirect(comment.get_absolute_url())
    return render(
        request,
        "forums/comment_edit.html",
        {"forum": forum, "comment": comment, "form": form},
        status=_bad(form),
    )


@require_POST
def react(request, slug, pk):
    forum = _forum(slug)
    comment = get_object_or_404(Comment, pk=pk, forum=forum)
    require(request, "forums.react", forum)
    try:
        services.reaction_toggle(
            user=request.user, comment=comment, value=int(request.POST.get("value", 0))
        )
    except (ForumError, ValueError):
        messages.error(request, _("Unknown reaction."))
    return redirect(comment.get_absolute_url())
