"""One ballot per voter per cycle holds under simultaneous submissions (PostgreSQL)."""

import threading

import pytest
from django.db import close_old_connections

from ballots.models import VoterRecord
from ballots.services import VotingError, ballot_cast
from tests.ballots import box

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_60_simultaneous_casts_by_one_voter_store_exactly_one(vote_world):
    w = vote_world
    w["open"](allow_replacement=False)
    voter, section = w["voters"][0], str(w["section"].pk)
    barrier = threading.Barrier(60)
    outcomes = []

    def attempt(i):
        try:
            barrier.wait()
            ballot_cast(
                user=voter, cycle=w["cycle"], choices={section: [w["codes"][i % 4]]}
            )
            outcomes.append("ok")
        except VotingError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(60)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1 and outcomes.count("refused") == 59
    assert VoterRecord.objects.filter(cycle=w["cycle"], user=voter).count() == 1
    assert box.count(w["cycle"]) == 1
