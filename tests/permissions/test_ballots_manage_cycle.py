"""ballots.manage_cycle (phases, counting): council officers of the place or above,
with two-factor authentication, in every phase."""

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
def test_manage_cycle(place_world, in_phase, role, phase, allowed):
    user = place_world["people"][role]
    assert user.has_perm("ballots.manage_cycle", in_phase(phase)) is allowed
