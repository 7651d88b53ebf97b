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

from . import gov_notify, sealing, services
from .models import Letter, OutgoingEmail

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
            notify_id = _hand_over(row, _opened(row))
        except Exception as error:  # noqa: BLE001 — any failure: keep it, say why
            # Refused outright (a bad address, a missing template): not tried again,
            # shown to officers as undelivered.
            if _not_taken(row, error, final_status="permanent-failure"):
                row.sealed = None
            row.save()
            log.warning("message %s not sent (attempt %s): %s", pk, row.attempts, error)
            return False
        row.sent_at = timezone.now()
        row.last_error = ""
        row.sealed = None  # a receipt's code is kept no longer than it takes to send
        row.notify_id = notify_id
        row.status = "created" if notify_id else ""
        row.save(
            update_fields=[
                "attempts",
                "last_error",
                "sent_at",
                "sealed",
                "notify_id",
                "status",
            ]
        )
        return True


def _not_taken(row, error, *, final_status: str) -> bool:
    """Write on an outbox row or letter why it was not taken and when to try again:
    never, where Notify refused it outright (then it gets `final_status`). Returns
    whether the refusal is final."""
    reason, final = gov_notify.refusal(error)
    row.last_error = reason[:500]
    if final:
        row.status, row.status_at = final_status, timezone.now()
        row.next_attempt_at = timezone.now() + NEVER
    else:
        row.next_attempt_at = timezone.now() + dt.timedelta(
            seconds=_delay(row.attempts)
        )
    return final


# "Not again": far enough that the scheduler never finds it due.
NEVER = dt.timedelta(days=36500)


def _hand_over(row: OutgoingEmail, message: dict) -> str:
    """Send through GOV.UK Notify where it is set up (its id back), else by mail."""
    if gov_notify.enabled():
        return gov_notify.send(
            row.channel,
            to=message["to"],
            name=row.name,
            language=row.language,
            subject=message["subject"],
            body=message["text"],
            reference=f"nb-message-{row.pk}",
        )
    if row.channel != "email":
        raise RuntimeError("text messages need GOV.UK Notify (NOTIFY_API_KEY)")
    _mail(message)
    return ""


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


# Letters through GOV.UK Notify (civic/letters.py): each sealed PDF handed over once,
# then its status followed until Notify's last word.
LETTER_SEAL = "nb-letter-seal"


@shared_task(acks_late=True)
def post_letter(pk: int) -> bool:
    """Hand one stored letter to Notify; on failure record why and when to retry."""
    with transaction.atomic():
        row = Letter.objects.select_for_update().filter(pk=pk).first()
        if row is None or row.sent_at is not None:
            return False
        row.attempts += 1
        try:
            pdf = sealing.unseal(row.sealed_pdf, LETTER_SEAL, row.reference.encode())
            row.notify_id = gov_notify.send_letter(pdf, row.reference)
        except Exception as error:  # noqa: BLE001 — any failure: keep it, say why
            _not_taken(row, error, final_status="validation-failed")
            row.save()
            log.warning(
                "letter %s not posted (attempt %s): %s", pk, row.attempts, error
            )
            return False
        row.sent_at = row.status_at = timezone.now()
        row.status = (
            "pending-virus-check"  # Notify's first word on a precompiled letter
        )
        row.last_error, row.sealed_pdf, row.next_attempt_at = "", None, None
        row.save()
        return True


@shared_task
def follow_letters() -> int:
    """Queue the letters not yet handed over whose time has come, and ask Notify what
    became of the letters it has whose status is not final (its delivery receipts
    say so too); returns how many changed."""
    for pk in Letter.objects.filter(
        sent_at__isnull=True, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)[:1000]:
        queue(post_letter, pk)
    if not gov_notify.enabled():
        return 0
    changed = 0
    for row in Letter.objects.exclude(notify_id="").exclude(
        status__in=gov_notify.FINAL
    )[:1000]:
        try:
            status = gov_notify.status_of(row.notify_id)
        except Exception as error:  # noqa: BLE001 — Notify away: ask next time
            log.warning("letter %s status unknown: %s", row.pk, error)
            continue
        if status != row.status:
            Letter.objects.filter(pk=row.pk).update(
                status=status, status_at=timezone.now()
            )
            changed += 1
    return changed


def record_receipt(notify_id: str, status: str) -> bool:
    """A delivery receipt from Notify: the status of the message or letter it names.
    Returns whether it named one of ours."""
    now = timezone.now()
    found = OutgoingEmail.objects.filter(notify_id=notify_id).update(
        status=status, status_at=now
    )
    found += Letter.objects.filter(notify_id=notify_id).update(
        status=status, status_at=now
    )
    return bool(found)
