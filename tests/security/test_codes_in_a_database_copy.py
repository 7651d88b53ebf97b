"""A copy of the database is not a key to the vote: posted voting codes and residency
codes are stored as a keyed digest (the key is outside the database) with the code
sealed under it, so a pg_dump holds no code that can vote or verify, while the officer
can still download the letters."""

import shutil
import subprocess

import pytest
from django.db import connection
from django.urls import reverse

from ballots import voting_codes
from ballots.models import VotingCode
from forums.models import VerificationCode
from forums.services import residency_codes
from tests.ballots.conftest import _no_frozen_cache, vote_world  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def dump() -> str:
    db = connection.settings_dict
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("needs PostgreSQL and pg_dump (CI has both)")
    return subprocess.run(
        [
            "pg_dump",
            "--data-only",
            f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_a_database_dump_holds_no_usable_code(vote_world, client):  # noqa: F811
    w = vote_world
    w["open"]()
    voting = voting_codes.generate(
        actor=w["officer"], cycle=w["cycle"], place=w["hood"], count=20
    )
    residency = residency_codes.generate(
        actor=w["organiser"], forum=w["forum"], count=20, days_valid=30
    )
    printed = [c.plain for c in voting.codes.all()] + [
        c.plain for c in residency.codes.all()
    ]
    assert len(set(printed)) == 40
    text = dump()
    for code in printed:
        assert code not in text
        assert code.replace("-", "") not in text
    # What the dump holds finds nothing by itself: a digest typed as a code is not one.
    stored = VotingCode.objects.filter(batch=voting).values_list("code", flat=True)
    assert all(digest in text for digest in stored)
    assert voting_codes.find(stored[0]) is None
    # The officer's letters still carry the codes, and a code still votes.
    client.force_login(w["officer"])
    csv_text = client.post(
        reverse("ballots:codes_download", args=[w["cycle"].slug, voting.pk, "csv"])
    ).content.decode()
    assert all(code in csv_text for code in printed[:20])
    assert voting_codes.check(w["cycle"], printed[0].lower()).batch == voting
    row = VerificationCode.objects.get(code=VerificationCode.digest(printed[25]))
    assert row.batch == residency
