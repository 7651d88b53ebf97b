"""forums.submit_idea: verified residents of the forum's place, whatever the cycle's
phase (ideas are welcome all year; organisers take them into the next cycle)."""

import pytest

from .conftest import table

EXPECTED = table(
    {
        # ideas review supports shortlist voting counting results delivery
        "anonymous": "- - - - - - - -",
        "resident": "Y Y Y Y Y Y Y Y",
        "outsider": "- - - - - - - -",
        "organiser": "- - - - - - - -",
        "councillor": "- - - - - - - -",
        "officer": "- - - - - - - -",
        "officer_no_mfa": "- - - - - - - -",
    }
)


@pytest.mark.parametrize("role,phase,allowed", EXPECTED)
def test_submit_idea(place_world, in_phase, role, phase, allowed):
    in_phase(phase)
    user = place_world["people"][role]
    assert user.has_perm("forums.submit_idea", place_world["forum"]) is allowed
