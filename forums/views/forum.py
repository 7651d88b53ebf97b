"""The forum page, following a forum, and its map data."""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic.access import require
from civic.models import Place
from civic.selectors import page_of
from forums import selectors, services

from .common import _forum, forum_context


def forum_detail(request, slug):
    forum = _forum(slug)
    require(request, "forums.view_forum", forum)
    page = page_of(forum)
    if page is not None and page.live:
        query = request.META.get("QUERY_STRING")
        return redirect(page.url + (f"?{query}" if query else ""))
    return render(request, "forums/forum_detail.html", forum_context(request, forum))


@require_POST
def follow(request, slug):
    forum = _forum(slug)
    require(request, "forums.follow_forum", forum)
    following = services.follow_toggle(user=request.user, forum=forum)
    messages.success(
        request,
        _("You are following this forum.")
        if following
        else _("You no longer follow this forum."),
    )
    return redirect(forum)


def map_data(request, place):
    """The map's markers: public proposals with a location in a place (and the places
    inside it), filtered as the forum list is."""
    place = get_object_or_404(Place, slug=place)
    require(request, "civic.view_place", place)
    return JsonResponse(selectors.map_features(place, request.GET))
