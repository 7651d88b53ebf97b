"""Reading and writing Pabulib files; malformed files name the line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ballots.tally import pabulib, run
from ballots.tally.pabulib import PabulibError

from .conftest import HERE

GOOD = """META
key;value
description;Test
vote_type;approval
budget;100,5
min_length;1
max_length;2
PROJECTS
project_id;cost;name;category
1;50,25;Park;environment
2;40;Bench;
VOTES
voter_id;vote;age
v1;1,2;30
v2;2;41
"""


def test_parse_keeps_meta_and_columns_and_reads_decimal_commas():
    pb = pabulib.parse(GOOD, keep_votes=True)
    assert pb.meta["min_length"] == "1" and pb.meta["max_length"] == "2"
    assert pb.project_columns == ["project_id", "cost", "name", "category"]
    assert pb.votes[0]["age"] == "30"
    e = pb.election()
    assert str(e.budget) == "201/2" and str(e.projects["1"].cost) == "201/4"
    assert e.projects["1"].category == "environment"
    assert e.ballots.voters == 2


def test_round_trip_is_lossless():
    pb = pabulib.parse(GOOD, keep_votes=True)
    again = pabulib.parse(pabulib.write(pb), keep_votes=True)
    assert (
        again.meta == pb.meta
        and again.projects == pb.projects
        and again.votes == pb.votes
    )
    assert again.ballots.counts == pb.ballots.counts


def test_round_trip_of_a_real_file_keeps_the_outcome():
    pb = pabulib.read(
        HERE / "data" / "Poland_Czestochowa_2020_Grabowka.pb", keep_votes=True
    )
    again = pabulib.parse(pabulib.write(pb))
    assert run(again.election(), "mes").selected == run(pb.election(), "mes").selected


def test_from_election_writes_anonymous_rows():
    pb = pabulib.parse(GOOD)
    out = pabulib.from_election(pb.election(), meta={"description": "x"})
    text = pabulib.write(out)
    assert "voter_id;vote" in text
    reparsed = pabulib.parse(text)
    assert reparsed.ballots.counts == pb.ballots.counts


WRITE_ASSEN = """
import sys
from ballots.tally import pabulib
pb = pabulib.read(sys.argv[1])
sys.stdout.write(pabulib.write(pabulib.from_election(pb.election(), meta={})))
"""


def test_the_same_ballots_give_the_same_file_in_every_process():
    """A published file's hash is checked by others: the votes are written in an order
    fixed by what they say, not by the process's string hashing (a frozenset's own
    order changes with PYTHONHASHSEED)."""
    path = str(HERE / "data" / "Netherlands_Assen_2024.pb")
    root = Path(__file__).resolve().parents[2]
    texts = {
        subprocess.run(
            [sys.executable, "-c", WRITE_ASSEN, path],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(texts) == 1
    votes = next(iter(texts)).split("VOTES")[1].strip().splitlines()[1:]
    listed = [tuple(line.split(";")[1].split(",")) for line in votes]
    assert listed == sorted(listed)


def test_bom_is_ignored():
    assert pabulib.parse("\ufeff" + GOOD).meta["vote_type"] == "approval"


@pytest.mark.parametrize(
    "mutate,line,message",
    [
        (lambda t: t.replace("1;50,25;Park", "1;lots;Park"), 10, "not a number"),
        (lambda t: t.replace("v2;2;41", "v2;3;41"), 15, "unknown project '3'"),
        (lambda t: t.replace("v2;2;41", "v1;2;41"), 15, "voted twice"),
        (lambda t: t.replace("2;40;Bench;", "1;40;Bench;"), 11, "listed twice"),
        (lambda t: t.replace("v2;2;41", "v2;2"), 15, "expected 3 fields"),
        (lambda t: t.replace("budget;100,5\n", ""), 11, "no 'budget'"),
        (
            lambda t: t.replace("vote_type;approval", "vote_type;telepathy"),
            13,
            "unsupported vote_type",
        ),
        (lambda t: "PROJECTS\n" + t, 1, "start with a META"),
    ],
)
def test_malformed_files_name_the_line(mutate, line, message):
    with pytest.raises(PabulibError) as info:
        pabulib.parse(mutate(GOOD))
    assert info.value.line == line
    assert message in str(info.value) and f"line {line}" in str(info.value)


def test_missing_votes_section():
    with pytest.raises(PabulibError, match="no VOTES section"):
        pabulib.parse(GOOD.split("VOTES")[0])


def test_points_need_matching_counts():
    text = GOOD.replace("vote_type;approval", "vote_type;cumulative").replace(
        "voter_id;vote;age\nv1;1,2;30\nv2;2;41",
        "voter_id;vote;points\nv1;1,2;3\nv2;2;1",
    )
    with pytest.raises(PabulibError, match="2 projects but 1 points"):
        pabulib.parse(text)
