"""forums.moderate: the forum's organisers, and councillors with two-factor
authentication; not officers (they set rules, they do not referee debate)."""

import pytest

from .conftest import table

EXPECTED = table(
    {
        # ideas review supports shortlist voting counting results delivery
        "anonymous": "- - - - - - - -",
        "resident": "- - - - - - - -",
        "outsider": "- - - - - - - -",
        "organiser": "Y Y Y Y Y Y Y Y",
        "councillor": "Y Y Y Y Y Y Y Y",
        "officer": "- - - - - - - -",
        "officer_no_mfa": "- - - - - - - -",
    }
)


@pytest.mark.parametrize("role,phase,allowed", EXPECTED)
def test_moderate(place_world, in_phase, role, phase, allowed):
    in_phase(phase)
    user = place_world["people"][role]
    assert user.has_perm("forums.moderate", place_world["forum"]) is allowed
