"""Emails about cycles: phase changes to forum followers, receipts to voters who asked."""

from civic.notify import send, send_text
from forums.models import Follow

from .models import Cycle, Phase

ANNOUNCED = {Phase.VOTING, Phase.RESULTS}


def phase_changed(cycle: Cycle) -> None:
    if cycle.phase not in ANNOUNCED or cycle.archived:
        return
    followers = {
        f.user
        for f in Follow.objects.filter(
            forum__place__path__startswith=cycle.place.path
        ).select_related("user")
        if f.user.notify_forum_updates
    }
    send("cycle_phase", sorted(followers, key=lambda u: u.pk), {"cycle": cycle})


def receipt(user, cycle: Cycle, code: str) -> None:
    if user.notify_receipt:
        send("receipt", [user], {"cycle": cycle, "receipt": code}, secret=True)
    if user.text_receipt:
        send_text("receipt", [user], {"cycle": cycle, "receipt": code}, secret=True)


def voting_opens_tomorrow(cycle: Cycle) -> int:
    """Text the followers of the cycle's forums who asked for reminders."""
    followers = {
        f.user
        for f in Follow.objects.filter(
            forum__place__path__startswith=cycle.place.path, user__text_reminders=True
        ).select_related("user")
    }
    return send_text(
        "voting_opens", sorted(followers, key=lambda u: u.pk), {"cycle": cycle}
    )
