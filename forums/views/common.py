"""What every forum page shares: the forum, its context, status codes."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject
from wagtail import hooks

from civic.selectors import place_map
from forums import selectors
from forums.models import Forum

# What the gallery shows, fetched in a few queries whatever the number of pictures.
GALLERY = ("pictures__image__renditions", "attachments__document")


def _forum(slug) -> Forum:
    return get_object_or_404(Forum.objects.select_related("place"), slug=slug)


def _bad(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def forum_context(request, forum: Forum) -> dict:
    """Everything the forum page shows; used by this view and by the Wagtail ForumPage."""
    context = selectors.forum_page(forum, request.GET, request.GET.get("page"))
    # Lazy: only asked for by the template when it needs them (bounded queries).
    context["membership"] = SimpleLazyObject(
        lambda: selectors.membership_of(request.user, forum)
    )
    context["params"] = request.GET
    context["boundaries"] = place_map(forum.place)
    context["is_organiser"] = request.user.has_perm("forums.review_ideas", forum)
    context["can_moderate"] = request.user.has_perm("forums.moderate", forum)
    context["is_member"] = request.user.has_perm("forums.submit_idea", forum)
    context["following"] = (
        request.user.is_authenticated
        and forum.follows.filter(user=request.user).exists()
    )
    # What the layers above add for this visitor (wagtail hook "forum_page_visitor"):
    # their own supports while a vote collects them (ballots/wagtail_hooks.py).
    for extend in hooks.get_hooks("forum_page_visitor"):
        context.update(extend(forum, request.user, context))
    return context
