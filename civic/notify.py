"""Emails from the platform: one layout in HTML and text, each person's own choices."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send(name: str, recipients, context: dict) -> int:
    """Render templates/email/<name>{_subject.txt,.txt,.html} and send one email each,
    in the language each person chose on the site (the site's default otherwise)."""
    sent = 0
    for user in recipients:
        if not user or not user.email or not user.is_active:
            continue
        ctx = {"recipient": user, "site_url": settings.WAGTAILADMIN_BASE_URL, **context}
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = " ".join(
                render_to_string(f"email/{name}_subject.txt", ctx).split()
            )
            text = render_to_string(f"email/{name}.txt", ctx)
            html = render_to_string(f"email/{name}.html", ctx)
        message = EmailMultiAlternatives(
            settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, text, None, [user.email]
        )
        message.attach_alternative(html, "text/html")
        message.send(fail_silently=True)
        sent += 1
    return sent
