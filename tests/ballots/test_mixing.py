"""The mixing buffer: nothing lost and nothing counted twice, whatever fails between
the voter's write and the box's."""

import pytest

from ballots import ballot_box
from ballots.models import Ballot, Phase, SealedBallot
from ballots.services import ballot_cast, cycle_set_phase, receipt_check
from civic.models import RoleKind
from tests.ballots import box
from tests.factories import UserFactory, grant


def cast_many(w, n):
    receipts = []
    for i in range(n):
        voter = UserFactory(is_demo=True)
        grant(voter, w["hood"], RoleKind.RESIDENT)
        receipts.append(
            ballot_cast(
                user=voter,
                cycle=w["cycle"],
                choices={str(w["section"].pk): [w["codes"][i % 4]]},
            )
        )
    return receipts


def test_a_batch_is_mixed_in_when_it_is_full(
    vote_world, django_capture_on_commit_callbacks
):
    w = vote_world
    w["open"]()
    with django_capture_on_commit_callbacks(execute=True):
        cast_many(w, 19)
    assert Ballot.objects.count() == 0 and SealedBallot.objects.count() == 19
    with django_capture_on_commit_callbacks(execute=True):
        cast_many(w, 1)
    assert Ballot.objects.count() == 20 and SealedBallot.objects.count() == 0


def test_a_crash_inside_the_mixer_loses_and_doubles_nothing(vote_world, monkeypatch):
    w = vote_world
    w["open"]()
    receipts = cast_many(w, 25)  # no commit callbacks here: nothing mixed yet
    assert SealedBallot.objects.count() == 25

    real_bulk_create = Ballot.objects.bulk_create
    calls = []

    def write_the_box_then_die(objs, *args, **kwargs):
        calls.append(real_bulk_create(list(objs), *args, **kwargs))
        raise RuntimeError("server killed between the two writes")

    monkeypatch.setattr(Ballot.objects, "bulk_create", write_the_box_then_die)
    with pytest.raises(RuntimeError):
        ballot_box.mix(w["cycle"].pk)
    monkeypatch.undo()
    assert calls  # it did crash after writing the box, before emptying the buffer
    assert Ballot.objects.count() == 0 and SealedBallot.objects.count() == 25
    assert ballot_box.mix(w["cycle"].pk) == 25
    assert Ballot.objects.count() == 25 and SealedBallot.objects.count() == 0
    assert all(receipt_check(w["cycle"], r) is not None for r in receipts)


def test_ballots_left_waiting_by_a_crash_are_counted_when_voting_closes(vote_world):
    """A server that died after the voter's commit but before mixing leaves the
    ballot sealed and durable; closing the vote mixes it in, once."""
    w = vote_world
    w["open"]()
    receipts = cast_many(w, 7)
    assert SealedBallot.objects.count() == 7 and Ballot.objects.count() == 0
    # The receipt check finds a ballot still waiting, and replacing it works.
    assert receipt_check(w["cycle"], receipts[0]).choices == {
        str(w["section"].pk): [w["codes"][0]]
    }
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    assert Ballot.objects.count() == 7 and SealedBallot.objects.count() == 0
    assert sorted(map(repr, box.ballots_in(w["cycle"]))) == sorted(
        repr({str(w["section"].pk): [w["codes"][i % 4]]}) for i in range(7)
    )


def test_a_waiting_ballot_can_be_replaced_by_its_receipt(vote_world):
    w = vote_world
    w["open"]()
    voter = w["voters"][0]
    section = str(w["section"].pk)
    first = ballot_cast(user=voter, cycle=w["cycle"], choices={section: w["codes"][:1]})
    second = ballot_cast(
        user=voter, cycle=w["cycle"], choices={section: w["codes"][1:2]}, receipt=first
    )
    assert box.ballots_in(w["cycle"]) == [{section: w["codes"][1:2]}]
    assert receipt_check(w["cycle"], first) is None
    assert receipt_check(w["cycle"], second) is not None


def test_sealed_ballots_need_the_key(vote_world, settings):
    from cryptography.exceptions import InvalidTag

    w = vote_world
    w["open"]()
    cast_many(w, 1)
    settings.NB_BALLOT_SEAL_KEY = "a different key"
    with pytest.raises(InvalidTag):
        ballot_box.waiting(w["cycle"].pk)


def test_the_timer_rule_mixes_at_most_every_so_many_minutes(
    vote_world, django_capture_on_commit_callbacks
):
    """live_results_every = 10: a full batch waits until ten minutes after the last
    one; the scheduler mixes it then, still only with at least 20 ballots."""
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    w = vote_world
    w["open"](live_results_every=10)
    with django_capture_on_commit_callbacks(execute=True):
        cast_many(w, 20)
    assert Ballot.objects.count() == 20  # the first batch: nothing mixed before
    w["cycle"].refresh_from_db()
    first = w["cycle"].box_mixed_at
    with django_capture_on_commit_callbacks(execute=True):
        cast_many(w, 25)
    assert Ballot.objects.count() == 20 and SealedBallot.objects.count() == 25
    assert ballot_box.mix_due(now=first + dt.timedelta(minutes=9)) == 0
    assert ballot_box.mix_due(now=first + dt.timedelta(minutes=10)) == 25
    assert Ballot.objects.count() == 45 and SealedBallot.objects.count() == 0
    # The scheduler's command does the same each minute.
    with django_capture_on_commit_callbacks(execute=True):
        cast_many(w, 20)
    type(w["cycle"]).objects.filter(pk=w["cycle"].pk).update(
        box_mixed_at=timezone.now() - dt.timedelta(minutes=11)
    )
    call_command("advance_phases", stdout=open("/dev/null", "w"))
    assert Ballot.objects.count() == 65 and SealedBallot.objects.count() == 0
