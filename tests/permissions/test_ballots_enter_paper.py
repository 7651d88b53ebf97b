"""ballots.enter_paper: the forum's organisers, and officers with two-factor
authentication. (Whether voting is open is checked when the ballot is entered.)"""

import pytest

from .conftest import table

EXPECTED = table(
    {
        # ideas review supports shortlist voting counting results delivery
        "anonymous": "- - - - - - - -",
        "resident": "- - - - - - - -",
        "outsider": "- - - - - - - -",
        "organiser": "Y Y Y Y Y Y Y Y",
        "councillor": "- - - - - - - -",
        "officer": "Y Y Y Y Y Y Y Y",
        "officer_no_mfa": "- - - - - - - -",
    }
)


@pytest.mark.parametrize("role,phase,allowed", EXPECTED)
def test_enter_paper(place_world, in_phase, role, phase, allowed):
    user = place_world["people"][role]
    assert user.has_perm("ballots.enter_paper", in_phase(phase)) is allowed
