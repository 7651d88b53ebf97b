"""A voter who asks for their receipt by email gets it through the task queue, and the
receipt code is never stored, not even in the outbox."""

from civic.models import OutgoingEmail


def test_a_receipt_is_sent_but_never_stored(
    vote_world, mailoutbox, django_capture_on_commit_callbacks
):
    from ballots.services import ballot_cast

    w = vote_world
    w["open"]()
    voter = w["voters"][0]
    voter.notify_receipt = True
    voter.save()
    with django_capture_on_commit_callbacks(execute=True):
        receipt = ballot_cast(
            user=voter, cycle=w["cycle"], choices={str(w["section"].pk): w["codes"][:1]}
        )
    assert receipt in mailoutbox[-1].body
    assert not OutgoingEmail.objects.filter(text__contains=receipt).exists()
    assert not OutgoingEmail.objects.filter(to=voter.email).exists()
