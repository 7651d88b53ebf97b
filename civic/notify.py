"""Emails from the platform: one layout in HTML and text, each person's own choices,
sent by the task queue (civic/tasks.py), never inside a request.

An email is rendered now (in the recipient's language) and stored in the outbox in the
caller's transaction, so it exists exactly when what it reports does; the queue sends
it after the commit and retries until the mail server takes it. A ballot receipt's code
must never be readable from the database: its row holds the message sealed under a key
kept outside it (civic/sealing.py), and the sealed copy is emptied once it is sent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from . import tasks
from .models import OutgoingEmail


def render(name: str, user, context: dict) -> dict:
    ctx = {"recipient": user, "site_url": settings.WAGTAILADMIN_BASE_URL, **context}
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"email/{name}_subject.txt", ctx).split())
        return {
            "to": user.email,
            "subject": settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
            "text": render_to_string(f"email/{name}.txt", ctx),
            "html": render_to_string(f"email/{name}.html", ctx),
        }


def send(name: str, recipients, context: dict, *, secret: bool = False) -> int:
    """Render templates/email/<name>{_subject.txt,.txt,.html} for each recipient and
    queue it; returns how many were queued. `secret`: the content must not be readable
    from the database (it is stored sealed)."""
    queued = 0
    for user in recipients:
        if not user or not user.email or not user.is_active:
            continue
        message = render(name, user, context)
        if secret:
            row = OutgoingEmail.objects.create(
                to=message["to"],
                subject=tasks.SEALED_SUBJECT,
                text="",
                sealed=tasks.seal_message(message),
            )
        else:
            row = OutgoingEmail.objects.create(**message)
        transaction.on_commit(lambda pk=row.pk: tasks.queue(tasks.deliver, pk))
        queued += 1
    return queued
