"""The box counted as it fills (`BoxCount`): always what the box holds, grouped by
choice, whatever fills or empties it; live results read it instead of every ballot."""

from collections import Counter
from unittest.mock import patch

from django.apps import apps

from ballots import ballot_box, live, selectors, tallying
from ballots.models import Ballot, BoxCount, Phase
from ballots.services import ballot_cast, cycle_set_phase
from civic.models import RoleKind
from tests.factories import UserFactory, grant


def cast_many(w, picks):
    receipts = []
    for choice in picks:
        voter = UserFactory(is_demo=True)
        grant(voter, w["hood"], RoleKind.RESIDENT)
        receipt = ballot_cast(
            user=voter,
            cycle=w["cycle"],
            choices={str(w["section"].pk): [w["codes"][i] for i in choice]},
        )
        receipts.append((voter, receipt))
    return receipts


def box_as_counted(cycle):
    """What BoxCount says, as {(section, frozenset of codes): ballots}."""
    return {
        (sid, frozenset(value)): n
        for sid, rows in ballot_box.counted(cycle.pk).items()
        for value, n in rows
    }


def box_itself(cycle):
    """The same, read from every ballot in the box."""
    counts = Counter()
    for choices in Ballot.objects.filter(cycle=cycle).values_list("choices", flat=True):
        for sid, value in choices.items():
            counts[(int(sid), frozenset(value))] += 1
    return dict(counts)


PICKS = [[0], [0, 1], [1, 0], [2], [0, 1]] * 5  # 25, mixed as one batch


def filled(w, capture, **rules):
    """The cycle opened with these rules and the 25 PICKS cast (and mixed)."""
    w["open"](**rules)
    with capture(execute=True):
        cast_many(w, PICKS)
    return w


def test_the_counts_follow_the_box_as_batches_are_mixed(
    vote_world, django_capture_on_commit_callbacks
):
    w = filled(vote_world, django_capture_on_commit_callbacks)
    assert Ballot.objects.filter(cycle=w["cycle"]).count() == 25
    section = w["section"].pk
    a, b, c = w["codes"][:3]
    # [0] ×5, {0, 1} ×15 (in either order), [2] ×5.
    assert box_as_counted(w["cycle"]) == {
        (section, frozenset([a])): 5,
        (section, frozenset([a, b])): 15,
        (section, frozenset([c])): 5,
    }
    assert box_as_counted(w["cycle"]) == box_itself(w["cycle"])
    assert selectors.live_support(w["cycle"])[section] == {
        a: 20,
        b: 15,
        c: 5,
        w["codes"][3]: 0,
    }


def test_a_replaced_ballot_leaves_the_counts(
    vote_world, django_capture_on_commit_callbacks
):
    w = vote_world
    w["open"]()
    with django_capture_on_commit_callbacks(execute=True):
        receipts = cast_many(w, [[3]] + [[0]] * 19)
    assert Ballot.objects.filter(cycle=w["cycle"]).count() == 20
    voter, receipt = receipts[0]
    with django_capture_on_commit_callbacks(execute=True):
        ballot_cast(
            user=voter,
            cycle=w["cycle"],
            choices={str(w["section"].pk): [w["codes"][2]]},
            receipt=receipt,
        )
    section = w["section"].pk
    # The [3] ballot left the box (and its count); the [2] one waits to be mixed.
    assert box_as_counted(w["cycle"]) == {(section, frozenset([w["codes"][0]])): 19}
    assert box_as_counted(w["cycle"]) == box_itself(w["cycle"])


def test_closing_the_box_keeps_the_counts(
    vote_world, django_capture_on_commit_callbacks
):
    w = filled(vote_world, django_capture_on_commit_callbacks)
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    assert Ballot.objects.filter(cycle=w["cycle"]).count() == 25
    assert box_as_counted(w["cycle"]) == box_itself(w["cycle"])
    counted = box_as_counted(w["cycle"])
    ballot_box.recount_box(w["cycle"].pk)
    assert box_as_counted(w["cycle"]) == counted


def test_the_migration_counts_boxes_that_exist_already(
    vote_world, django_capture_on_commit_callbacks
):
    from importlib import import_module

    w = filled(vote_world, django_capture_on_commit_callbacks)
    counted = box_as_counted(w["cycle"])
    BoxCount.objects.all().delete()
    migration = import_module("ballots.migrations.0009_box_counts")
    migration.count_every_box(apps, None)
    assert box_as_counted(w["cycle"]) == counted


def test_a_live_update_reads_the_counts_not_the_ballots(
    vote_world, django_capture_on_commit_callbacks
):
    w = filled(
        vote_world, django_capture_on_commit_callbacks, tally_rule="equal_shares"
    )
    expected = sorted(tallying.count(w["section"], w["cycle"].rules).selected)
    with patch.object(
        tallying, "section_ballots", side_effect=AssertionError("read every ballot")
    ):
        data = live.payload(w["cycle"].pk)
    assert data["outcome"] == {str(w["section"].pk): expected}
    assert data["turnout"]["cast"] == 25
