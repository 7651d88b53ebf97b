"""Emails go through the outbox and the task queue: stored with what caused them, sent
after the commit, kept (with the reason) when the mail server fails and sent when it
is back; a ballot receipt is never stored."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from civic import tasks
from civic.models import OutgoingEmail
from civic.notify import send
from tests.factories import UserFactory


class Cycle:
    name = "Old Mill 2026"
    slug = "old-mill-2026"


@pytest.fixture
def broken_mail_server(monkeypatch):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    return monkeypatch


def test_an_email_is_stored_and_sent_after_the_commit(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory(email="a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert send("cycle_phase", [person], {"cycle": Cycle()}) == 1
        assert mailoutbox == []  # not before the commit
    row = OutgoingEmail.objects.get()
    assert (row.to, row.attempts, row.last_error) == ("a@example.org", 1, "")
    assert row.sent_at is not None
    assert [m.to for m in mailoutbox] == [["a@example.org"]]
    assert mailoutbox[0].subject == row.subject


def test_a_failing_mail_server_loses_nothing(
    db, broken_mail_server, django_capture_on_commit_callbacks
):
    person = UserFactory(email="a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        send("cycle_phase", [person], {"cycle": Cycle()})
    row = OutgoingEmail.objects.get()
    assert row.sent_at is None
    assert row.attempts == 1
    assert row.last_error == "ConnectionRefusedError: mail server down"
    assert row.next_attempt_at > timezone.now() + dt.timedelta(seconds=50)
    assert tasks.flush_outbox() == 0  # not due yet

    broken_mail_server.undo()  # the mail server is back
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    assert tasks.flush_outbox() == 1
    row.refresh_from_db()
    assert (row.attempts, row.last_error) == (2, "")
    assert row.sent_at is not None
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert tasks.flush_outbox() == 0


def test_a_broker_that_is_down_does_not_fail_the_request(
    db, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    def down(*args):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.deliver, "delay", down)
    person = UserFactory(email="a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        send("cycle_phase", [person], {"cycle": Cycle()})
    row = OutgoingEmail.objects.get()
    assert (row.sent_at, row.attempts) == (None, 0)
    monkeypatch.undo()
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    assert tasks.flush_outbox() == 1
    assert [m.to for m in mailoutbox] == [["a@example.org"]]


def test_operators_see_and_flush_what_waits(
    db, broken_mail_server, django_capture_on_commit_callbacks
):
    import io

    from django.core.management import call_command

    person = UserFactory(email="a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        send("cycle_phase", [person], {"cycle": Cycle()})
    out = io.StringIO()
    call_command("outbox", stdout=out)
    lines = out.getvalue().splitlines()
    assert "a@example.org" in lines[0]
    assert "attempts=1" in lines[0]
    assert lines[0].endswith("ConnectionRefusedError: mail server down")
    assert lines[-1] == "1 email(s) waiting to be sent."
    broken_mail_server.undo()
    out = io.StringIO()
    call_command("outbox", "--flush", stdout=out)
    assert out.getvalue().splitlines() == [
        "1 email(s) queued.",
        "0 email(s) waiting to be sent.",
    ]
