"""Nobody votes twice across channels: for each pair of the ways one person can vote
(online, with a posted code, on a polling point's screen, on paper at a point),
simultaneous attempts store exactly one ballot (PostgreSQL, real threads)."""

import threading

import pytest
from django.db import close_old_connections

from ballots import voting_codes
from ballots.models import VoterRecord
from ballots.services import ballot_cast, ballot_cast_with_code, paper_ballot_enter
from ballots.validation import BallotInvalid, VotingError
from tests.ballots import box

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# The person with an account: online, on the screen, on paper (by the register).
BY_ACCOUNT = ["online", "screen", "paper"]
PAIRS = [(a, b) for i, a in enumerate(BY_ACCOUNT) for b in BY_ACCOUNT[i + 1 :]]


def _attempts(tries):
    """Run the callables at once; how many stored a ballot."""
    barrier = threading.Barrier(len(tries))
    outcomes = []

    def run(attempt):
        try:
            barrier.wait()
            attempt()
            outcomes.append("ok")
        except (VotingError, BallotInvalid):
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(t,)) for t in tries]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.parametrize("first,second", PAIRS)
def test_one_person_through_two_channels_at_once_votes_once(point_world, first, second):
    w = point_world
    voter, cycle, point = w["voters"][0], w["cycle"], w["point"]
    choices = {str(w["section"].pk): [w["codes"][0]]}
    ways = {
        "online": lambda: ballot_cast(user=voter, cycle=cycle, choices=choices),
        "screen": lambda: paper_ballot_enter(
            actor=w["officer"],
            cycle=cycle,
            choices=choices,
            voter=voter,
            polling_point=point,
            on_screen=True,
        ),
        "paper": lambda: paper_ballot_enter(
            actor=w["officer"],
            cycle=cycle,
            choices=choices,
            voter=voter,
            polling_point=point,
        ),
    }
    outcomes = _attempts([ways[first], ways[second]] * 4)
    assert outcomes.count("ok") == 1 and outcomes.count("refused") == 7
    assert VoterRecord.objects.filter(cycle=cycle, user=voter).count() == 1
    assert box.count(cycle) == 1


def test_a_posted_code_online_on_paper_and_on_screen_at_once_votes_once(point_world):
    w = point_world
    cycle, point = w["cycle"], w["point"]
    batch = voting_codes.generate(
        actor=w["officer"], cycle=cycle, place=w["hood"], count=1
    )
    code = batch.codes.get().plain
    choices = {str(w["section"].pk): [w["codes"][0]]}
    row = batch.codes.get()
    outcomes = _attempts(
        [
            lambda: ballot_cast_with_code(cycle=cycle, code=code, choices=choices),
            lambda: paper_ballot_enter(
                actor=w["officer"],
                cycle=cycle,
                choices=choices,
                code=code,
                polling_point=point,
            ),
            # On the point's screen, handed over after the desk checked the code.
            lambda: paper_ballot_enter(
                actor=w["officer"],
                cycle=cycle,
                choices=choices,
                voting_code_id=row.pk,
                polling_point=point,
                on_screen=True,
            ),
        ]
        * 3
    )
    assert outcomes.count("ok") == 1 and outcomes.count("refused") == 8
    assert VoterRecord.objects.filter(cycle=cycle).count() == 1
    assert box.count(cycle) == 1
