"""ballots.support: anyone signed in may press Support; whether supports are open, the
proposal may be supported and they are a resident who could vote there is checked by
the supports service, with a message saying why (tests/ballots/test_supports.py)."""

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
def test_support(place_world, in_phase, role, phase, allowed):
    user = place_world["people"][role]
    assert user.has_perm("ballots.support", in_phase(phase)) is allowed
