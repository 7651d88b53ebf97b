"""ballots.manage_codes: council officers with two-factor authentication issue, print
and cancel voting codes. (Whether the cycle still takes codes is checked when a batch
is generated.)"""

import pytest

from .conftest import table

EXPECTED = table(
    {
        # ideas review supports shortlist voting counting results delivery
        "anonymous": "- - - - - - - -",
        "resident": "- - - - - - - -",
        "outsider": "- - - - - - - -",
        "organiser": "- - - - - - - -",
        "councillor": "- - - - - - - -",
        "officer": "Y Y Y Y Y Y Y Y",
        "officer_no_mfa": "- - - - - - - -",
    }
)


@pytest.mark.parametrize("role,phase,allowed", EXPECTED)
def test_manage_codes(place_world, in_phase, role, phase, allowed):
    user = place_world["people"][role]
    assert user.has_perm("ballots.manage_codes", in_phase(phase)) is allowed


def test_voting_with_a_code_needs_no_account(place_world, in_phase):
    """Anyone may open the code page; the code itself is the credential."""
    anonymous = place_world["people"]["anonymous"]
    assert anonymous.has_perm("ballots.vote_with_code", in_phase("voting")) is True
