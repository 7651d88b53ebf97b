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

from . import gov_notify, tasks
from .models import Channel, OutgoingEmail


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
        _store(Channel.EMAIL, name, user, render(name, user, context), secret)
        queued += 1
    return queued


def can_text(user) -> bool:
    """Whether `user` can be sent text messages: GOV.UK Notify is set up and they
    proved the mobile number is theirs."""
    return gov_notify.enabled() and bool(
        user and user.is_active and user.mobile and user.mobile_verified
    )


def render_text(name: str, user, context: dict) -> dict:
    ctx = {"recipient": user, "site_url": settings.WAGTAILADMIN_BASE_URL, **context}
    with translation.override(user.language or settings.LANGUAGE_CODE):
        body = render_to_string(f"sms/{name}.txt", ctx).strip()
    return {"to": user.mobile, "subject": "", "text": body, "html": ""}


def send_text(name: str, recipients, context: dict, *, secret: bool = False) -> int:
    """Render templates/sms/<name>.txt for each recipient who can be texted and queue
    it through GOV.UK Notify; returns how many were queued."""
    queued = 0
    for user in recipients:
        if not can_text(user):
            continue
        _store(Channel.SMS, name, user, render_text(name, user, context), secret)
        queued += 1
    return queued


def send_code_by_text(user, number: str, code: str) -> None:
    """The code that proves a mobile number is theirs, to that number (not yet
    verified): sealed in the outbox, as a receipt is."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        body = render_to_string("sms/mobile_code.txt", {"code": code}).strip()
    message = {"to": number, "subject": "", "text": body, "html": ""}
    _store(Channel.SMS, "mobile_code", user, message, secret=True)


def _store(channel: str, name: str, user, message: dict, secret: bool) -> None:
    fields = {
        "channel": channel,
        "name": name,
        "language": user.language or settings.LANGUAGE_CODE,
        "user": user,
        "to": message["to"],
    }
    if secret:
        row = OutgoingEmail.objects.create(
            **fields,
            subject=tasks.SEALED_SUBJECT,
            text="",
            sealed=tasks.seal_message(message),
        )
    else:
        row = OutgoingEmail.objects.create(
            **fields,
            subject=message["subject"],
            text=message["text"],
            html=message["html"],
        )
    transaction.on_commit(lambda pk=row.pk: tasks.queue(tasks.deliver, pk))
