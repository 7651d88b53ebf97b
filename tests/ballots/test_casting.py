"""Casting: every rule of every method, eligibility, phases, replacement, receipts,
secrecy, paper ballots."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ballots import voting_codes
from ballots.models import Ballot, Phase, VoterRecord
from ballots.services import (
    VotingError,
    ballot_cast,
    cycle_set_phase,
    paper_ballot_enter,
    receipt_check,
    receipt_hash,
)
from ballots.validation import BallotInvalid
from civic.models import FrameworkRules
from forums.services import residency_codes
from tests.ballots import box
from tests.factories import ForumFactory, UserFactory


def cast(w, voter, choices, **kw):
    return ballot_cast(
        user=voter, cycle=w["cycle"], choices={str(w["section"].pk): choices}, **kw
    )


def refused(w, voter, choices, match):
    """The ballot is refused with a message naming the broken rule, and nothing is
    stored: no ballot, no register entry, whatever the voter had cast before stays."""
    ballots = sorted(map(repr, box.ballots_in(w["cycle"])))
    register = VoterRecord.objects.count()
    with pytest.raises(BallotInvalid) as info:
        cast(w, voter, choices)
    assert any(match in e for e in info.value.errors), info.value.errors
    assert sorted(map(repr, box.ballots_in(w["cycle"]))) == ballots
    assert VoterRecord.objects.count() == register


def test_voting_must_be_open(vote_world):
    w = vote_world
    refused(w, w["voters"][0], w["codes"][:1], "not open")


def test_opening_freezes_rules_and_puts_shortlist_on_the_ballot(vote_world):
    w = vote_world
    cycle = w["open"]()
    assert cycle.frozen_rules["max_choices"] == 3
    assert sorted(w["section"].projects.values_list("code", flat=True)) == sorted(
        w["codes"]
    )
    FrameworkRules.objects.filter(place=w["county"]).update(max_choices=1)
    cycle.refresh_from_db()
    assert cycle.rules["max_choices"] == 3  # later edits never change an open vote
    cast(w, w["voters"][0], w["codes"][:3])


class TestApproval:
    def test_counts(self, vote_world):
        w = vote_world
        w["open"]()
        refused(w, w["voters"][0], [], "empty")
        refused(w, w["voters"][0], w["codes"], "at most 3")
        refused(w, w["voters"][0], ["nope"], "not projects on this ballot")
        refused(w, w["voters"][0], [w["codes"][0], w["codes"][0]], "only once")
        assert box.count(w["cycle"]) == 0 and VoterRecord.objects.count() == 0
        receipt = cast(w, w["voters"][0], w["codes"][:2])
        assert receipt_check(w["cycle"], receipt).choices == {
            str(w["section"].pk): sorted(w["codes"][:2])
        }

    def test_minimum(self, vote_world):
        w = vote_world
        w["open"](min_choices=2)
        refused(w, w["voters"][0], w["codes"][:1], "at least 2")


class TestKnapsack:
    def test_budget_and_minimum_spend(self, vote_world):
        w = vote_world
        w["open"](ballot_method="knapsack", max_choices=None, min_spend_percent=50)
        refused(
            w, w["voters"][0], w["codes"][2:], "more than the budget of £60,000"
        )  # 30k + 40k
        refused(w, w["voters"][0], w["codes"][:1], "at least 50%")  # 10k < 30k
        cast(w, w["voters"][0], w["codes"][:3])  # 60k: exactly the budget


class TestRanked:
    def test_rank_limits(self, vote_world):
        w = vote_world
        w["open"](ballot_method="ranked", max_ranked=2)
        refused(w, w["voters"][0], w["codes"][:3], "at most 2")
        refused(w, w["voters"][0], [], "empty")
        cast(w, w["voters"][0], [w["codes"][2], w["codes"][0]])
        (ballot,) = box.ballots_in(w["cycle"])
        assert ballot[str(w["section"].pk)] == [
            w["codes"][2],
            w["codes"][0],
        ]


class TestPoints:
    def test_points_total(self, vote_world):
        w = vote_world
        w["open"](ballot_method="points", points_per_voter=10)
        section = str(w["section"].pk)
        with pytest.raises(BallotInvalid, match="10 to share"):
            ballot_cast(
                user=w["voters"][0],
                cycle=w["cycle"],
                choices={section: {w["codes"][0]: 8, w["codes"][1]: 3}},
            )
        with pytest.raises(BallotInvalid, match="whole numbers"):
            ballot_cast(
                user=w["voters"][0],
                cycle=w["cycle"],
                choices={section: {w["codes"][0]: -1}},
            )
        with pytest.raises(BallotInvalid, match="at least one point"):
            ballot_cast(
                user=w["voters"][0],
                cycle=w["cycle"],
                choices={section: {w["codes"][0]: 0}},
            )
        ballot_cast(
            user=w["voters"][0],
            cycle=w["cycle"],
            choices={section: {w["codes"][0]: 7, w["codes"][1]: 3}},
        )


def test_eligibility(vote_world):
    w = vote_world
    w["open"]()
    # A verified resident of another neighbourhood is told what is true.
    refused(
        w,
        w["outsider"],
        w["codes"][:1],
        "This vote is for residents of Lane End; you are a verified resident of "
        "Zed Town.",
    )
    nobody = UserFactory(is_demo=True)
    refused(w, nobody, w["codes"][:1], "Only verified residents of Lane End")
    young = w["voters"][1]
    from django.utils import timezone

    young.year_of_birth = timezone.localdate().year - 12
    young.save()
    refused(w, young, w["codes"][:1], "16 or over")
    young.year_of_birth = None
    young.save()
    refused(w, young, w["codes"][:1], "year of birth")


def test_replacement_needs_the_receipt_and_keeps_one_ballot(vote_world):
    w = vote_world
    w["open"]()
    voter = w["voters"][0]
    first = cast(w, voter, w["codes"][:1])
    with pytest.raises(VotingError, match="receipt code"):
        cast(w, voter, w["codes"][1:2])
    second = cast(w, voter, w["codes"][1:2], receipt=first)
    assert box.count(w["cycle"]) == 1 and VoterRecord.objects.count() == 1
    assert receipt_check(w["cycle"], first) is None
    assert (
        receipt_check(w["cycle"], second).choices[str(w["section"].pk)]
        == w["codes"][1:2]
    )


def test_replacement_can_be_forbidden(vote_world):
    w = vote_world
    w["open"](allow_replacement=False)
    first = cast(w, w["voters"][0], w["codes"][:1])
    with pytest.raises(VotingError, match="do not allow"):
        cast(w, w["voters"][0], w["codes"][1:2], receipt=first)


def test_ballot_and_register_share_no_key(vote_world):
    """Secrecy: casting writes the register and a sealed ballot, never the box; the
    sealed row holds nothing readable, and the box's rows point at no voter."""
    from ballots.models import SealedBallot

    w = vote_world
    w["open"]()
    choices = w["codes"][:1]
    with CaptureQueriesContext(connection) as queries:
        receipt = cast(w, w["voters"][0], choices)
    ballot_fields = {f.name for f in Ballot._meta.get_fields()}
    assert ballot_fields == {"id", "cycle", "choices", "receipt_hash"}
    assert {f.name for f in SealedBallot._meta.get_fields()} == {
        "id",
        "cycle",
        "sealed",
    }
    for q in queries.captured_queries:
        assert 'ballots_ballot"' not in q["sql"].lower(), q["sql"]
    record = VoterRecord.objects.get()
    sealed = bytes(SealedBallot.objects.get().sealed)
    assert receipt not in str(record.__dict__)
    # What the voter chose, as it is serialised inside the seal (long enough that
    # random ciphertext never contains it by chance, unlike a one-digit code).
    chosen = json.dumps({str(w["section"].pk): choices}, separators=(",", ":"))
    for readable in (receipt, receipt_hash(receipt), chosen, '"c":'):
        assert readable.encode() not in sealed
    assert record.replace_hash != receipt_hash(receipt)
    (ballot,) = box.ballots_in(w["cycle"])
    assert ballot == {str(w["section"].pk): choices}


def test_paper_ballots_share_the_one_ballot_rule(vote_world):
    w = vote_world
    w["open"]()
    voter = w["voters"][2]
    paper_ballot_enter(
        actor=w["organiser"],
        cycle=w["cycle"],
        voter=voter,
        choices={str(w["section"].pk): w["codes"][:1]},
    )
    with pytest.raises(VotingError, match="paper ballot"):
        cast(w, voter, w["codes"][:1])
    with pytest.raises(VotingError, match="already voted"):
        paper_ballot_enter(
            actor=w["organiser"],
            cycle=w["cycle"],
            voter=voter,
            choices={str(w["section"].pk): w["codes"][:1]},
        )
    online = w["voters"][3]
    cast(w, online, w["codes"][:1])
    with pytest.raises(VotingError, match="already voted"):
        paper_ballot_enter(
            actor=w["organiser"],
            cycle=w["cycle"],
            voter=online,
            choices={str(w["section"].pk): w["codes"][:1]},
        )
    record = VoterRecord.objects.get(user=voter)
    assert record.channel == "paper" and record.entered_by == w["organiser"]


def test_paper_ballot_by_code_uses_the_code_once(vote_world):
    w = vote_world
    w["open"]()
    batch = residency_codes.generate(
        actor=w["organiser"], forum=w["forum"], count=1, days_valid=5
    )
    code = batch.codes.get().plain
    choices = {str(w["section"].pk): w["codes"][:1]}
    paper_ballot_enter(
        actor=w["organiser"], cycle=w["cycle"], code=code, choices=choices
    )
    with pytest.raises(BallotInvalid, match="already been used"):
        paper_ballot_enter(
            actor=w["organiser"], cycle=w["cycle"], code=code, choices=choices
        )
    with pytest.raises(BallotInvalid):
        paper_ballot_enter(
            actor=w["organiser"],
            cycle=w["cycle"],
            code=code,
            choices={str(w["section"].pk): ["zz"]},
        )
    assert box.count(w["cycle"]) == 1


def test_paper_entry_tells_the_two_kinds_of_code_apart(vote_world):
    """A residency code from a neighbourhood outside the vote, and a code nobody
    issued, are refused with what is wrong; a voting code of this cycle votes."""
    w = vote_world
    w["open"](verification_methods=["code", "postcode", "approval"])
    elsewhere = ForumFactory(place=w["other"])
    w["other"].refresh_from_db()
    outside = residency_codes.generate(
        actor=w["organiser"], forum=elsewhere, count=1, days_valid=5
    )
    choices = {str(w["section"].pk): w["codes"][:1]}

    def enter(code):
        return paper_ballot_enter(
            actor=w["organiser"], cycle=w["cycle"], code=code, choices=choices
        )

    with pytest.raises(BallotInvalid, match="outside this vote"):
        enter(outside.codes.get().plain)
    with pytest.raises(BallotInvalid, match="That code was not recognised"):
        enter("ZZZZZ-ZZZZZ")
    assert box.count(w["cycle"]) == 0
    voting = voting_codes.generate(
        actor=w["officer"], cycle=w["cycle"], place=w["hood"], count=1
    )
    enter(voting.codes.get().plain)
    assert box.count(w["cycle"]) == 1
    assert VoterRecord.objects.get().voting_code.batch == voting


def test_invalid_paper_ballot_does_not_use_up_the_code(vote_world):
    w = vote_world
    w["open"]()
    code = (
        residency_codes.generate(
            actor=w["organiser"], forum=w["forum"], count=1, days_valid=5
        )
        .codes.get()
        .plain
    )
    with pytest.raises(BallotInvalid):
        paper_ballot_enter(
            actor=w["organiser"],
            cycle=w["cycle"],
            code=code,
            choices={str(w["section"].pk): w["codes"]},
        )
    from forums.models import VerificationCode

    assert (
        VerificationCode.objects.get(code=VerificationCode.digest(code)).used_at is None
    )


def test_phases_only_move_forward_and_are_logged(vote_world):
    w = vote_world
    w["open"]()
    with pytest.raises(VotingError, match="only move forward"):
        cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.IDEAS)
    assert list(w["cycle"].phase_changes.values_list("to_phase", flat=True)) == [
        "voting"
    ]


def test_phase_moves_by_date(vote_world):
    import datetime as dt

    from django.utils import timezone

    from ballots.services import cycle_refresh_phase

    w = vote_world
    cycle = w["cycle"]
    cycle.voting_start = timezone.now() - dt.timedelta(minutes=1)
    cycle.counting_start = timezone.now() + dt.timedelta(days=1)
    cycle.save()
    cycle = cycle_refresh_phase(cycle)
    assert cycle.phase == Phase.VOTING
    change = cycle.phase_changes.get()
    assert change.actor is None


@pytest.mark.parametrize(
    "scope,both_ok,far_only_ok",
    [("own", False, False), ("own_plus_one", True, True), ("all", True, True)],
)
def test_voting_scope_in_a_multi_budget_cycle(district, scope, both_ok, far_only_ok):
    w, cycle, own, far = district
    FrameworkRules.objects.filter(place=w["county"]).update(voting_scope=scope)
    cycle_set_phase(actor=w["officer"], cycle=cycle, phase=Phase.VOTING)
    cycle.refresh_from_db()
    own_code = own.projects.first().code
    far_code = far.projects.get().code
    voter = w["voters"][0]

    def attempt(choices):
        try:
            ballot_cast(user=voter, cycle=cycle, choices=choices)
            return True
        except BallotInvalid:
            return False

    # Own plus one other: both budgets together, or the other alone, but never more.
    assert attempt({str(own.pk): [own_code], str(far.pk): [far_code]}) is both_ok
    if not both_ok:
        assert attempt({str(far.pk): [far_code]}) is far_only_ok
        assert attempt({str(own.pk): [own_code]}) is True
    # A resident of Zed can vote in Zed's own budget in every scope.
    zed_voter = w["outsider"]
    ballot_cast(user=zed_voter, cycle=cycle, choices={str(far.pk): [far_code]})


def test_receipt_email_only_for_those_who_ask(
    vote_world, django_capture_on_commit_callbacks
):
    from django.core import mail

    w = vote_world
    w["open"]()
    mail.outbox.clear()
    quiet, asked = w["voters"][0], w["voters"][1]
    asked.notify_receipt = True
    asked.save()
    with django_capture_on_commit_callbacks(execute=True):
        cast(w, quiet, w["codes"][:1])
        code = cast(w, asked, w["codes"][:1])
    assert [m.to for m in mail.outbox] == [[asked.email]]
    assert code in mail.outbox[0].body


def test_followers_hear_when_voting_opens(
    vote_world, django_capture_on_commit_callbacks
):
    from django.core import mail

    from forums.models import Follow

    w = vote_world
    Follow.objects.create(forum=w["forum"], user=w["voters"][0])
    muted = w["voters"][1]
    muted.notify_forum_updates = False
    muted.save()
    Follow.objects.create(forum=w["forum"], user=muted)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        w["open"]()
    assert [m.to for m in mail.outbox] == [[w["voters"][0].email]]
    assert "Voting is open" in mail.outbox[0].subject


def _frozen_without(w, *names, **rules):
    w["open"](**rules)
    cycle = w["cycle"]
    frozen = {k: v for k, v in cycle.frozen_rules.items() if k not in names}
    type(cycle).objects.filter(pk=cycle.pk).update(frozen_rules=frozen)
    cycle.refresh_from_db()
    return cycle


def test_a_rule_a_cycle_froze_before_it_existed_is_read_with_its_default(vote_world):
    """A cycle frozen before a rule existed reads that rule's default (civic/framework
    DEFAULTS), never 0: without points_per_voter, 11 points are too many (10 to share).
    """
    w = vote_world
    cycle = _frozen_without(w, "points_per_voter", ballot_method="points")
    with pytest.raises(BallotInvalid, match="you have 10 to share out"):
        ballot_cast(
            user=w["voters"][0],
            cycle=cycle,
            choices={str(w["section"].pk): {w["codes"][0]: 11}},
        )


def test_min_age_missing_from_frozen_rules_is_its_default(vote_world):
    """Without min_age in its frozen rules, the cycle asks 16 (the default), not 0."""
    w = vote_world
    _frozen_without(w, "min_age")
    young = w["voters"][1]
    young.year_of_birth = timezone.localdate().year - 12
    young.save()
    refused(w, young, w["codes"][:1], "Voters in this cycle must be 16 or over.")
