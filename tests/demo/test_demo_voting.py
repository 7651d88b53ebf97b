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


def test_the_demo_voter_spends_only_its_own_codes_in_its_own_name(demo_site, settings):
    """A batch an officer has just generated stays untouched, and the batch the demo
    voter posts for itself is logged under its own name, not an officer's."""
    from ballots import voting_codes
    from civic.models import AuditEntry, User
    from demo.ballots import DEMO_VOTER_BATCH, DEMO_VOTER_EMAIL

    settings.DEBUG = True
    cycle = Cycle.objects.get(slug="old-mill-2026")
    officer = User.objects.get(email="officer@example.org")
    fresh = voting_codes.generate(
        actor=officer, cycle=cycle, place=cycle.place, count=50, note="Posted today"
    )
    call_command("demo_voting", "--ballots", "30", stdout=io.StringIO())
    assert not fresh.codes.filter(used_at__isnull=False).exists()
    own = cycle.code_batches.get(note=DEMO_VOTER_BATCH)
    assert own.created_by.email == DEMO_VOTER_EMAIL
    assert own.codes.filter(used_at__isnull=False).exists()
    entry = AuditEntry.objects.filter(action="voting_codes.generate").latest("id")
    assert entry.actor.email == DEMO_VOTER_EMAIL
    # The next round spends the same batch before posting another.
    call_command("demo_voting", "--ballots", "30", stdout=io.StringIO())
    assert cycle.code_batches.filter(note=DEMO_VOTER_BATCH).count() == 1


def test_it_refuses_to_run_without_debug(demo_site, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG=1"):
        call_command("demo_voting")
