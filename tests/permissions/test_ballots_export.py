"""ballots.export: officers (with two-factor authentication) at any time (the view
still refuses while voting is open); everyone once the results are published."""

import pytest

from .conftest import table

EXPECTED = table(
    {
        # ideas review supports shortlist voting counting results delivery
        "anonymous": "- - - - - - Y Y",
        "resident": "- - - - - - Y Y",
        "outsider": "- - - - - - Y Y",
        "organiser": "- - - - - - Y Y",
        "councillor": "- - - - - - Y Y",
        "officer": "Y Y Y Y Y Y Y Y",
        "officer_no_mfa": "- - - - - - Y Y",
    }
)


@pytest.mark.parametrize("role,phase,allowed", EXPECTED)
def test_export(place_world, in_phase, role, phase, allowed):
    user = place_world["people"][role]
    assert user.has_perm("ballots.export", in_phase(phase)) is allowed
