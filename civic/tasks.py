"""Background work for the civic layer: sending the outbox.

Each stored email is sent once by `deliver`, queued when its transaction commits. A
failure is written on the row (attempts, the error, when to try again) and the
scheduler, `flush_outbox` (every minute, Celery beat), queues every unsent row whose
time has come, so mail queued while the mail server, the broker or every worker was
down goes out when they are back, and nothing is retried twice at once.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from . import sealing, services
from .models import OutgoingEmail

log = logging.getLogger(__name__)


def _mail(message: dict) -> None:
    email = EmailMultiAlternatives(
        message["subject"], message["text"], None, [message["to"]]
    )
    if message.get("html"):
        email.attach_alternative(message["html"], "text/html")
    email.send(fail_silently=False)


def _delay(attempts: int) -> int:
    """Seconds to wait after the attempts so far (settings.NB_MAIL_RETRY_SECONDS)."""
    delays = settings.NB_MAIL_RETRY_SECONDS
    return delays[min(max(attempts, 1), len(delays)) - 1]


def in_background() -> bool:
    """Whether queued tasks run in a worker (a broker is configured), not eagerly in
    the process that queues them (`make run`, the tests)."""
    from celery import current_app

    return not current_app.conf.task_always_eager


def queue(task, *args) -> bool:
    """Queue a task, never failing the caller: if the broker is down the outbox row
    stays due and the scheduler queues it later."""
    try:
        task.delay(*args)
    except Exception as error:  # noqa: BLE001 — broker unreachable
        log.warning("could not queue %s%r: %s", task.name, args, error)
        return False
    return True


@shared_task(acks_late=True)
def deliver(pk: int) -> bool:
    """Send one stored email; on failure record why and when to try again."""
    with transaction.atomic():
        row = OutgoingEmail.objects.select_for_update().filter(pk=pk).first()
        if row is None or row.sent_at is not None:
            return False
        row.attempts += 1
        try:
            _mail(_opened(row))
        except Exception as error:  # noqa: BLE001 — any failure: keep it, say why
            row.last_error = f"{type(error).__name__}: {error}"[:500]
            row.next_attempt_at = timezone.now() + dt.timedelta(
                seconds=_delay(row.attempts)
            )
            row.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            log.warning("email %s not sent (attempt %s): %s", pk, row.attempts, error)
            return False
        row.sent_at = timezone.now()
        row.last_error = ""
        row.sealed = None  # a receipt's code is kept no longer than it takes to send
        row.save(update_fields=["attempts", "last_error", "sent_at", "sealed"])
        return True


SEAL_LABEL, SEAL_DATA = "nb-email-seal", b"nb-email"
SEALED_SUBJECT = "(sealed: a ballot receipt)"


def seal_message(message: dict) -> bytes:
    return sealing.seal(json.dumps(message).encode(), SEAL_LABEL, SEAL_DATA)


def _opened(row: OutgoingEmail) -> dict:
    """The message a row holds, opening a sealed one."""
    if row.sealed is not None:
        return json.loads(sealing.unseal(row.sealed, SEAL_LABEL, SEAL_DATA))
    return {"to": row.to, "subject": row.subject, "text": row.text, "html": row.html}


@shared_task
def flush_outbox() -> int:
    """Queue every unsent email whose next attempt is due; returns how many."""
    due = list(
        OutgoingEmail.objects.filter(
            sent_at__isnull=True, next_attempt_at__lte=timezone.now()
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in due:
        queue(deliver, pk)
    return len(due)


@shared_task
def boundaries_in_force() -> int:
    """Each place's map boundary becomes the generation in force today (a boundary
    change recorded ahead takes effect on its day); returns how many changed."""
    return services.boundaries_in_force()
