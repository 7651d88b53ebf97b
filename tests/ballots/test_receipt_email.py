"""A voter who asks for their receipt by email gets it through the task queue. The
outbox row that carries it holds the code sealed (never readable from the database or
a backup), survives a mail server that is away, and is emptied once sent."""

from django.test import override_settings

from civic import tasks
from civic.models import OutgoingEmail


def cast_with_receipt(w, capture):
    from ballots.services import ballot_cast

    w["open"]()
    voter = w["voters"][0]
    voter.notify_receipt = True
    voter.save()
    with capture(execute=True):
        receipt = ballot_cast(
            user=voter, cycle=w["cycle"], choices={str(w["section"].pk): w["codes"][:1]}
        )
    return voter, receipt


def readable(row: OutgoingEmail) -> str:
    """Everything the row holds, as a database dump would show it."""
    return " ".join(
        [row.to, row.subject, row.text, row.html, bytes(row.sealed or b"").hex()]
        + [bytes(row.sealed or b"").decode("latin-1")]
    )


def test_a_receipt_is_sent_and_its_sealed_copy_emptied(
    vote_world, mailoutbox, django_capture_on_commit_callbacks
):
    voter, receipt = cast_with_receipt(vote_world, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1 and receipt in mailoutbox[0].body
    assert mailoutbox[0].to == [voter.email]
    row = OutgoingEmail.objects.get(to=voter.email)
    assert row.sent_at is not None and row.sealed is None
    assert receipt not in readable(row)


def test_a_receipt_waits_sealed_while_the_mail_server_is_away(
    vote_world, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    real_mail = tasks._mail

    def away(message):
        raise ConnectionRefusedError("mail server away")

    monkeypatch.setattr(tasks, "_mail", away)
    voter, receipt = cast_with_receipt(vote_world, django_capture_on_commit_callbacks)
    row = OutgoingEmail.objects.get(to=voter.email)
    assert row.sent_at is None and row.attempts == 1
    assert row.last_error == "ConnectionRefusedError: mail server away"
    assert receipt not in readable(row) and row.sealed is not None
    assert mailoutbox == []
    # The mail server is back, but a worker without the key cannot open the copy:
    # nothing is sent, and the outbox says why.
    monkeypatch.setattr(tasks, "_mail", real_mail)
    with override_settings(NB_BALLOT_SEAL_KEY="another key"):
        assert tasks.deliver(row.pk) is False
    row.refresh_from_db()
    assert row.last_error == "InvalidTag: " and mailoutbox == []
    # With the key, the next attempt sends it, once.
    assert tasks.deliver(row.pk) is True
    assert tasks.deliver(row.pk) is False
    assert len(mailoutbox) == 1 and receipt in mailoutbox[0].body
    row.refresh_from_db()
    assert row.sent_at is not None and row.sealed is None
