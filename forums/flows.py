"""Staff actions that two front ends offer (the forum's own pages and the back office),
each as one flow: it reads the same request fields, calls the same service and says the
same thing, whichever page it came from (as allauth's flows serve its two front ends)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from forums import services
from forums.models import Forum, Membership
from forums.services import ForumError


def membership_decision(request, forum: Forum) -> Membership | None:
    """An organiser approves or turns down a membership request (POST `membership`,
    `decision`); the outcome, or why it was refused, is a message. Returns the decided
    membership, or None when the service refused."""
    membership = get_object_or_404(
        Membership, pk=request.POST.get("membership"), forum=forum
    )
    approve = request.POST.get("decision") == "approve"
    try:
        services.membership_decide(
            actor=request.user, membership=membership, approve=approve
        )
    except ForumError as error:
        messages.error(request, error.message)
        return None
    messages.success(
        request,
        (_("%(u)s is now a member.") if approve else _("%(u)s was turned down."))
        % {"u": membership.user},
    )
    return membership
