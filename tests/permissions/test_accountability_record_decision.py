"""accountability.record_decision: councillors of the place or above, with two-factor
authentication."""

import pytest

from .conftest import table

EXPECTED = table(
    {
        # ideas review supports shortlist voting counting results delivery
        "anonymous": "- - - - - - - -",
        "resident": "- - - - - - - -",
        "outsider": "- - - - - - - -",
        "organiser": "- - - - - - - -",
        "councillor": "Y Y Y Y Y Y Y Y",
        "officer": "- - - - - - - -",
        "officer_no_mfa": "- - - - - - - -",
    }
)


@pytest.mark.parametrize("role,phase,allowed", EXPECTED)
def test_record_decision(place_world, in_phase, role, phase, allowed):
    in_phase(phase)
    user = place_world["people"][role]
    assert (
        user.has_perm("accountability.record_decision", place_world["hood"]) is allowed
    )
