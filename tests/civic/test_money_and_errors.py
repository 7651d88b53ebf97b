"""One money module (civic/money.py) and one base for the domain's refusals."""

from decimal import Decimal

import pytest

from ballots.backup import BackupError
from ballots.validation import BallotInvalid, VotingError
from civic.errors import DomainError
from civic.geo import GeoError
from civic.money import decimal_pounds, parse_pounds, pence, pounds
from forums.services import ForumError
from forums.workflow import TransitionError


def test_amounts_read_as_pounds():
    assert pounds(150000) == "£1,500"
    assert pounds(150050) == "£1,500.50"
    assert pounds(5) == "£0.05"
    assert pounds(None) == "—"
    assert decimal_pounds(150050) == "1500.50"
    assert decimal_pounds(7) == "0.07"


def test_pounds_typed_become_exact_pence():
    assert pence(Decimal("12.34")) == 1234
    assert pence(None) is None
    assert parse_pounds(" 12.5 ") == 1250
    assert parse_pounds("1500") == 150000
    with pytest.raises(ValueError, match="not an amount of pounds: 'twelve'"):
        parse_pounds("twelve")


@pytest.mark.parametrize(
    "error", [VotingError, ForumError, TransitionError, GeoError, BackupError]
)
def test_every_refusal_is_a_domain_error_with_its_message(error):
    refused = error("Not now.")
    assert isinstance(refused, DomainError) and refused.message == "Not now."


def test_an_invalid_ballot_names_every_broken_rule():
    invalid = BallotInvalid(["Too many.", "Too dear."])
    assert isinstance(invalid, DomainError)
    assert invalid.errors == ["Too many.", "Too dear."]
    assert invalid.message == "Too many.; Too dear."
