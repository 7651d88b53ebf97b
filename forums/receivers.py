"""Listening to the civic domain: emails when a decision is published."""

from django.dispatch import receiver

from civic.notify import send
from civic.signals import decision_published

from .models import Follow


@receiver(decision_published)
def email_followers(sender, decision, **kwargs):
    """Residents following a forum in the decided place (or below) get the notice."""
    users = {
        f.user
        for f in Follow.objects.filter(
            forum__place__path__startswith=decision.place.path
        ).select_related("user")
        if f.user.notify_forum_updates
    }
    send(
        "decision_published", sorted(users, key=lambda u: u.pk), {"decision": decision}
    )
