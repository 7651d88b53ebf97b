"""The email outbox."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def retry_grace():
    """When the scheduler may first queue a stored email again if it is still unsent:
    the first retry delay (a minute by default) after it was stored."""
    return timezone.now() + dt.timedelta(seconds=settings.NB_MAIL_RETRY_SECONDS[0])


class OutgoingEmail(models.Model):
    """The outbox: an email is stored in the transaction of what caused it, and the
    task queue sends it after the commit, retrying until the mail server takes it.
    Unsent mail (and why) is visible to administrators; nothing is dropped."""

    to = models.EmailField()
    subject = models.CharField(max_length=255)
    text = models.TextField()
    html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    # When the scheduler (flush_outbox) may queue it again if it is still unsent: a
    # minute after it was stored (the first send is queued at once), later after each
    # failure.
    next_attempt_at = models.DateTimeField(default=retry_grace, db_index=True)
    # A ballot receipt: subject, text and HTML sealed together (civic/sealing.py), so
    # neither the database nor a backup can read the code; emptied once it is sent.
    sealed = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing email")

    def __str__(self):
        return f"{self.subject} → {self.to}"
