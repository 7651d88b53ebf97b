"""Attacks on the secret ballot, as a council's auditor would try them, on PostgreSQL.

65 known voters cast, in a known order, 65 different ballots. Each attack then tries
to pair the register (who voted, in order) with the box (what was voted) and counts the
pairs it gets right. Ballots are mixed into the box in random order in batches of at
least 20, so an attack can do no better than guess within a batch: about one right
per batch by chance (65 voters: about 3). Each attack must stay under 13 right, which
chance alone exceeds less than once in 10,000 runs; before mixing, every attack here
paired all 65."""

import itertools
import json
import subprocess

import pytest
from django.db import connection

from ballots import ballot_box, live, tallying
from ballots.backup import export_cycle
from ballots.models import Phase
from ballots.services import ballot_cast, cycle_set_phase
from civic.models import RoleKind
from forums.models import ProposalStatus
from tests.factories import ProposalFactory, UserFactory, grant

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

VOTERS = 65
MOST_BY_CHANCE = 12


@pytest.fixture
def cast_in_order(vote_world, monkeypatch):
    """65 voters, each approving a different three of nine projects, cast one after
    another; every live-results state a watcher could have seen is kept."""
    w = vote_world
    for i in range(5, 10):
        ProposalFactory(
            forum=w["forum"],
            title=f"P{i}",
            cost_pence=1000_00,
            status=ProposalStatus.SHORTLISTED,
        )
    cycle = w["open"]()
    section = w["section"]
    codes = sorted(section.projects.values_list("code", flat=True))
    assert len(codes) == 9
    voters = list(w["voters"])
    for _ in range(VOTERS - len(voters)):
        voter = UserFactory(is_demo=True)
        grant(voter, w["hood"], RoleKind.RESIDENT)
        voters.append(voter)
    seen = []
    # The worst case for secrecy: a live update (mix what is full, then count) after
    # every single ballot.
    monkeypatch.setattr(live, "ballot_cast", live.flush)
    monkeypatch.setattr(live, "_send", lambda cid, message: seen.append(message))
    by_user = {}
    for voter, picks in zip(voters, itertools.combinations(codes, 3), strict=False):
        choices = {str(section.pk): list(picks)}
        ballot_cast(user=voter, cycle=cycle, choices=choices)
        by_user[voter.pk] = choices
    return {
        "w": w,
        "cycle": cycle,
        "section": section,
        "voters": voters,
        "by_user": by_user,
        "seen": seen,
    }


def right_guesses(ballots_in_order, choices_in_order) -> int:
    """Pair the k-th ballot with the k-th voter; count the pairs that are right."""
    return sum(
        1 for b, v in zip(ballots_in_order, choices_in_order, strict=False) if b == v
    )


def rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def as_choices(value):
    """Django reads jsonb columns as text through a raw cursor."""
    return json.loads(value) if isinstance(value, str) else value


def register_in_physical_order(data):
    return [
        data["by_user"][user_id]
        for (user_id,) in rows(
            "SELECT user_id FROM ballots_voterrecord WHERE cycle_id = %s ORDER BY ctid",
            [data["cycle"].pk],
        )
    ]


def box_in_physical_order(data):
    return [
        as_choices(choices)
        for (choices,) in rows(
            "SELECT choices FROM ballots_ballot WHERE cycle_id = %s ORDER BY ctid",
            [data["cycle"].pk],
        )
    ]


def test_transaction_ids_link_no_ballot(cast_in_order):
    """Sort the register and the box by transaction id (xmin), the closest thing to a
    join key PostgreSQL keeps, and pair them in that order."""
    data = cast_in_order
    cid = data["cycle"].pk
    register = [
        data["by_user"][user_id]
        for _xid, user_id in rows(
            "SELECT xmin::text::bigint, user_id FROM ballots_voterrecord "
            "WHERE cycle_id = %s ORDER BY 1, ctid",
            [cid],
        )
    ]
    box = [
        as_choices(choices)
        for _xid, choices in rows(
            "SELECT xmin::text::bigint, choices FROM ballots_ballot "
            "WHERE cycle_id = %s ORDER BY 1, ctid",
            [cid],
        )
    ]
    assert right_guesses(box, register[: len(box)]) <= MOST_BY_CHANCE
    batches = rows(
        "SELECT count(*) FROM ballots_ballot WHERE cycle_id = %s GROUP BY xmin::text",
        [cid],
    )
    assert sorted(n for (n,) in batches) == [20, 20, 20]
    # The five not yet mixed wait sealed: nothing readable beside the register.
    assert len(ballot_box.waiting(cid)) == VOTERS - 60


def test_physical_order_during_and_after_voting(cast_in_order):
    data = cast_in_order
    assert len(box_in_physical_order(data)) == 60
    during = right_guesses(
        box_in_physical_order(data), register_in_physical_order(data)
    )
    assert during <= MOST_BY_CHANCE
    cycle_set_phase(
        actor=data["w"]["officer"], cycle=data["cycle"], phase=Phase.COUNTING
    )
    after = box_in_physical_order(data)
    assert len(after) == VOTERS
    assert right_guesses(after, register_in_physical_order(data)) <= MOST_BY_CHANCE
    one_transaction = rows(
        "SELECT count(DISTINCT xmin::text) FROM ballots_ballot WHERE cycle_id = %s",
        [data["cycle"].pk],
    )
    assert one_transaction == [(1,)]


def dump_tables(*tables) -> dict[str, list[dict[str, str]]]:
    """A pg_dump of the tables, as a council's backup would hold them."""
    db = connection.settings_dict
    args = ["pg_dump", "--data-only", "-h", db["HOST"] or "127.0.0.1"]
    args += ["-p", str(db["PORT"] or 5432), "-U", db["USER"], db["NAME"]]
    for table in tables:
        args += ["-t", table]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    copied, current, columns = {}, None, []
    for line in out.splitlines():
        if line.startswith("COPY public."):
            current = line.split()[1].split(".")[1]
            columns = line.split("(", 1)[1].split(")", 1)[0].split(", ")
            copied[current] = []
        elif line == "\\.":
            current = None
        elif current:
            copied[current].append(dict(zip(columns, line.split("\t"), strict=True)))
    return copied


def test_a_database_backup_links_no_ballot(cast_in_order):
    data = cast_in_order
    dump = dump_tables("ballots_ballot", "ballots_voterrecord", "ballots_sealedballot")
    box = [json.loads(row["choices"]) for row in dump["ballots_ballot"]]
    register = [
        data["by_user"][int(row["user_id"])] for row in dump["ballots_voterrecord"]
    ]
    assert len(box) == 60 and len(register) == VOTERS
    assert right_guesses(box, register) <= MOST_BY_CHANCE
    sealed = "\n".join(row["sealed"] for row in dump["ballots_sealedballot"])
    assert len(dump["ballots_sealedballot"]) == VOTERS - 60
    for choices in data["by_user"].values():
        # pg_dump writes bytea as hex: look for the serialised choices in hex.
        plain = json.dumps(choices, separators=(",", ":")).encode().hex()
        assert plain not in sealed


def test_an_officers_exports_link_no_ballot(cast_in_order):
    data = cast_in_order
    backup = export_cycle(data["cycle"])  # during voting: the waiting ones too
    emails = {v.email: data["by_user"][v.pk] for v in data["voters"]}
    register = [emails[r["user"]] for r in backup["register"]]
    box = [b["choices"] for b in backup["ballots"]]
    assert len(box) == VOTERS
    assert right_guesses(box, register) <= MOST_BY_CHANCE
    cycle_set_phase(
        actor=data["w"]["officer"], cycle=data["cycle"], phase=Phase.COUNTING
    )
    # The published file lists the ballots in an order fixed by what they say, so
    # that anyone can reproduce its hash: the same ballots give the same file however
    # the box is ordered, so its order says nothing about who voted when. (These
    # voters happen to have cast in that very order; an order computed from the
    # ballots alone cannot tell that.)
    text = tallying.pabulib_export(data["section"], data["cycle"].rules)
    votes = text.split("VOTES")[1].strip().splitlines()[1:]
    published = [
        {str(data["section"].pk): line.split(";")[1].split(",")} for line in votes
    ]
    assert sorted(map(json.dumps, published)) == sorted(map(json.dumps, register))
    assert published == sorted(published, key=lambda c: list(c.values()))
    ballot_box.close(data["cycle"].pk)  # the box rewritten in a new random order
    assert tallying.pabulib_export(data["section"], data["cycle"].rules) == text


def test_live_results_never_show_one_voters_choices(cast_in_order):
    """Every state a watcher saw reflects a whole number of batches of 20 ballots
    (each ballot approves three projects), though turnout moved with every cast."""
    data = cast_in_order
    states = [
        json.loads(m["text"])["data"]
        for m in data["seen"]
        if m.get("type") == "results.update"
    ]
    # One state after each cast; the update that follows the 20th, 40th and 60th
    # ballot mixes that batch in before counting.
    turnouts = [s["turnout"]["cast"] for s in states]
    assert turnouts == list(range(1, VOTERS + 1))
    reflected = []
    for state in states:
        approvals = sum(r["support"] for r in state["sections"][0]["rows"])
        assert approvals % 3 == 0
        reflected.append(approvals // 3)
    assert reflected == [0] * 19 + [20] * 20 + [40] * 20 + [60] * 6
