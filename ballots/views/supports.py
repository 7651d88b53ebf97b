"""Supporting a proposal during a cycle's supports phase (ballots/services/supports.py)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ballots.services import supports
from ballots.views.common import _cycle
from civic.access import require
from forums.models import Proposal


@require_POST
def support(request, slug, pk):
    """Support a proposal (`action=support`) or withdraw a support (`withdraw`), then
    go back to the page the button was on."""
    cycle = _cycle(request, slug)
    require(request, "ballots.support", cycle)
    proposal = get_object_or_404(Proposal.objects.select_related("forum__place"), pk=pk)
    try:
        if request.POST.get("action") == "withdraw":
            supports.withdraw(user=request.user, cycle=cycle, proposal=proposal)
            messages.success(
                request,
                _("You no longer support “%(t)s”.") % {"t": proposal.title},
            )
        else:
            left = supports.support(user=request.user, cycle=cycle, proposal=proposal)
            messages.success(
                request,
                ngettext(
                    "You support “%(t)s”. You have %(n)s support left.",
                    "You support “%(t)s”. You have %(n)s supports left.",
                    left,
                )
                % {"t": proposal.title, "n": left},
            )
    except supports.SupportError as error:
        messages.error(request, error.message)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = proposal.get_absolute_url()
    return redirect(back)
