"""Counting with the frozen rules, publishing, exports and recount."""

import pytest
from django.urls import reverse

from ballots import tallying
from ballots.models import Phase, Tally
from ballots.services import VotingError, ballot_cast, cycle_count, cycle_set_phase
from ballots.tally import pabulib
from forums.models import Proposal


def vote_all(w, ballots):
    section = str(w["section"].pk)
    for voter, picks in zip(w["voters"], ballots, strict=False):
        ballot_cast(
            user=voter,
            cycle=w["cycle"],
            choices={section: [w["codes"][i] for i in picks]},
        )


def test_results_are_counted_stored_and_proposals_marked(vote_world, client):
    w = vote_world
    w["open"]()
    vote_all(w, [[0, 1], [1, 2], [1], [3], [3, 0]])  # supports: P1 2, P2 3, P3 1, P4 2
    with pytest.raises(VotingError):
        cycle_count(actor=w["officer"], cycle=w["cycle"], publish=True)
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.RESULTS)
    tally = Tally.objects.get(published=True)
    # Greedy by votes: P2 (20k), then P1 (10k) / P4 (40k) tie on 2: "<id>" order decides.
    assert tally.result["rule"] == "greedy" and tally.ballots_counted == 5
    funded = set(tally.result["selected"])
    assert w["codes"][1] in funded and tally.result["spent"] in (
        "30000_00".replace("_", ""),
        "6000000",
    )
    statuses = dict(Proposal.objects.values_list("pk", "status"))
    for code in w["codes"]:
        assert statuses[int(code)] == ("funded" if code in funded else "not_funded")
    page = client.get(
        reverse("ballots:results", args=[w["cycle"].slug])
    ).content.decode()
    assert "Funded" in page and "<svg" in page and "Not funded" in page


def test_export_refused_while_open_and_round_trips_after(vote_world, client):
    w = vote_world
    w["open"]()
    vote_all(w, [[0], [1, 2], [2]])
    client.force_login(w["officer"])
    url = reverse("ballots:export", args=[w["cycle"].slug, w["section"].pk, "pb"])
    response = client.get(url)
    assert response.status_code == 302  # refused with a message while voting is open
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    text = client.get(url).content.decode()
    parsed = pabulib.parse(text)
    assert parsed.ballots.voters == 3
    assert parsed.meta["vote_type"] == "approval" and parsed.meta["max_length"] == "3"
    assert sorted(parsed.ballots.projects_named()) == sorted(
        {w["codes"][0], w["codes"][1], w["codes"][2]}
    )
    csv_text = client.get(
        reverse("ballots:export", args=[w["cycle"].slug, w["section"].pk, "csv"])
    ).content.decode()
    assert csv_text.count("\n") == 4


def test_recount_from_the_published_file_alone_reproduces_the_result(
    vote_world, client
):
    w = vote_world
    w["open"](tally_rule="equal_shares")
    vote_all(w, [[0, 1], [1, 2], [2], [3], [3, 2]])
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.RESULTS)
    tally = Tally.objects.get(published=True)
    text = tallying.pabulib_export(w["section"], w["cycle"].rules)
    assert tallying.sha256(text) == tally.export_sha256
    outcome = tallying.recount_from_pabulib(
        text, tally_rule="equal_shares", ballot_method="approval"
    )
    assert sorted(outcome.selected) == sorted(tally.result["selected"])
    page = client.get(
        reverse("ballots:recount", args=[w["cycle"].slug])
    ).content.decode()
    assert "The recount matches the published result." in page


def test_recount_upload_of_a_malformed_file_is_explained(vote_world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    w = vote_world
    w["open"]()
    vote_all(w, [[0]])
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.RESULTS)
    response = client.post(
        reverse("ballots:recount", args=[w["cycle"].slug]),
        {"file": SimpleUploadedFile("x.pb", b"META\nkey;value\nbudget;abc\n")},
    )
    assert (
        response.status_code == 400
        and "the file has no PROJECTS section" in response.content.decode()
    )


def test_ring_fenced_contribution_is_honoured(vote_world):
    from civic.models import Category

    w = vote_world
    contribution = w["section"].budget.contributions.first()
    contribution.ring_fence_category = Category.objects.get(slug="youth")
    contribution.ring_fenced_pence = 10000_00
    contribution.save()
    w["open"]()
    vote_all(w, [[1], [1], [1], [0], [3]])  # P2 (green) most voted; P1 youth 10k
    outcome = tallying.count(w["section"], w["cycle"].rules)
    assert (
        outcome.ring_fences[0]["met"] and outcome.ring_fences[0]["category"] == "youth"
    )
