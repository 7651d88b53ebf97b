"""ballots.vote: anyone signed in may reach the ballot; whether the ballot is open and
whether they are eligible is checked when they cast it (with a message saying why)."""

import pytest

from .conftest import table

EXPECTED = table(
    {
        # ideas review supports shortlist voting counting results delivery
        "anonymous": "- - - - - - - -",
        "resident": "Y Y Y Y Y Y Y Y",
        "outsider": "Y Y Y Y Y Y Y Y",
        "organiser": "Y Y Y Y Y Y Y Y",
        "councillor": "Y Y Y Y Y Y Y Y",
        "officer": "Y Y Y Y Y Y Y Y",
        "officer_no_mfa": "Y Y Y Y Y Y Y Y",
    }
)


@pytest.mark.parametrize("role,phase,allowed", EXPECTED)
def test_vote(place_world, in_phase, role, phase, allowed):
    user = place_world["people"][role]
    assert user.has_perm("ballots.vote", in_phase(phase)) is allowed
