"""civic.change_rules: council officers of the place or above, with two-factor
authentication. (Once voting opens the cycle's rules are frozen separately.)"""

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
def test_change_rules(place_world, in_phase, role, phase, allowed):
    in_phase(phase)
    user = place_world["people"][role]
    assert user.has_perm("civic.change_rules", place_world["hood"]) is allowed
