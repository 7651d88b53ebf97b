"""`demo_voting` keeps the demo's open vote going (make run), so live results move."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from ballots import ballot_box
from ballots.models import Cycle, VoterRecord, VotingCode


def test_a_round_casts_a_batch_with_posted_codes(demo_site, settings):
    settings.DEBUG = True
    cycle = Cycle.objects.get(slug="old-mill-2026")
    before = VoterRecord.objects.filter(cycle=cycle).count()
    in_box = len(ballot_box.contents(cycle.pk))
    out = io.StringIO()
    call_command("demo_voting", "--ballots", "30", stdout=out)
    cast = int(re.match(r"(\d+) demo ballot\(s\) cast", out.getvalue()).group(1))
    assert 0 < cast <= 30
    assert VoterRecord.objects.filter(cycle=cycle).count() == before + cast
    assert len(ballot_box.contents(cycle.pk)) == in_box + cast
    assert (
        VoterRecord.objects.filter(cycle=cycle, voting_code__isnull=False).count()
        == VotingCode.objects.filter(batch__cycle=cycle, used_at__isnull=False).count()
    )


def test_more_codes_are_posted_when_they_run_out(demo_site, settings):
    settings.DEBUG = True
    cycle = Cycle.objects.get(slug="old-mill-2026")
    VotingCode.objects.filter(batch__cycle=cycle, used_at__isnull=True).update(
        revoked_at="2026-01-01T00:00Z"
    )
    call_command("demo_voting", stdout=io.StringIO())
    assert cycle.code_batches.filter(note="Demo: a second posting").count() == 1


def test_it_refuses_to_run_without_debug(demo_site, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG=1"):
        call_command("demo_voting")
