"""ballots.recount: anyone, officers included, once the results are published and
not before (there is nothing published to recount)."""

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
        "officer": "- - - - - - Y Y",
        "officer_no_mfa": "- - - - - - Y Y",
    }
)


@pytest.mark.parametrize("role,phase,allowed", EXPECTED)
def test_recount(place_world, in_phase, role, phase, allowed):
    user = place_world["people"][role]
    assert user.has_perm("ballots.recount", in_phase(phase)) is allowed
