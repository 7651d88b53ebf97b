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


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class OutgoingEmail(models.Model):
    """The outbox: an email or text message is stored in the transaction of what
    caused it, and the task queue sends it after the commit, retrying until the mail
    server (or GOV.UK Notify) takes it. Unsent messages (and why) are visible to
    administrators; nothing is dropped. Through Notify, its delivery receipts say
    what became of the message (`status`)."""

    channel = models.CharField(max_length=5, choices=Channel.choices, default="email")
    to = models.CharField(max_length=254)
    # Which of our messages (templates/email/<name>…) and in which language: Notify's
    # template is chosen by them.
    name = models.CharField(max_length=60, blank=True)
    language = models.CharField(max_length=8, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
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
    # GOV.UK Notify's id for it and its last delivery status (gov_notify.FINAL).
    notify_id = models.CharField(max_length=36, blank=True, db_index=True)
    status = models.CharField(_("delivery"), max_length=30, blank=True)
    status_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing message")

    def __str__(self):
        return f"{self.subject} → {self.to}"


class Letter(models.Model):
    """A letter posted through GOV.UK Notify's precompiled-letter API: one PDF per
    address, made by the layer that knows what it says (a code letter) and kept sealed
    (civic/sealing.py) until Notify has it, then emptied. Its status is followed until
    Royal Mail has it ("received"), from Notify's delivery receipts and by asking."""

    # What it is for, "<app>.<model>:<pk>" (a batch of codes): shown on its page.
    about = models.CharField(max_length=100, db_index=True)
    # The one code it carries (a keyed digest, as the code's own row keeps it): a code
    # goes in one letter at most.
    code_digest = models.CharField(max_length=64, unique=True)
    address = models.TextField(_("address"))
    sealed_pdf = models.BinaryField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, default=retry_grace, db_index=True
    )
    notify_id = models.CharField(max_length=36, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=30, blank=True)
    status_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.address.splitlines()[0] if self.address else f"letter #{self.pk}"

    @property
    def reference(self) -> str:
        return f"nb-letter-{self.pk}"

    @staticmethod
    def about_key(record) -> str:
        return f"{record._meta.label_lower}:{record.pk}"
