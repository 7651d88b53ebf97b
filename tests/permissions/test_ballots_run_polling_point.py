"""ballots.run_polling_point: the desk of a polling point, for the officers of its place
(with two-factor sign-in) and its poll officers during their shifts
(tests/ballots/test_polling_desk.py); nobody else, in any phase."""

import pytest

from ballots.models import PollingPoint

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
def test_run_polling_point(place_world, in_phase, role, phase, allowed):
    cycle = in_phase(phase)
    point = PollingPoint.objects.create(
        place=place_world["hood"], name="Library", address="1 High Street"
    )
    point.cycles.add(cycle)
    point.save()
    user = place_world["people"][role]
    assert user.has_perm("ballots.run_polling_point", point) is allowed
