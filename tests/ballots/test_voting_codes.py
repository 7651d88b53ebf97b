"""Voting with a posted code: no account, one ballot per code online or on paper,
secret, cancellable; officers issue and print codes."""

import csv
import io

import pytest
from django.urls import reverse

from ballots import voting_codes
from ballots.models import Ballot, Channel, Phase, VoterRecord, VotingCode
from ballots.services import VotingError, paper_ballot_enter
from ballots.validation import BallotInvalid
from civic.models import AuditEntry, FrameworkRules
from tests.ballots import box
from tests.factories import CycleFactory, SectionFactory


def issue(w, n=2, place=None):
    batch = voting_codes.generate(
        actor=w["officer"], cycle=w["cycle"], place=place or w["hood"], count=n
    )
    return [c.plain for c in batch.codes.order_by("pk")]


def open_ballot(client, w, code):
    return client.post(reverse("ballots:code", args=[w["cycle"].slug]), {"code": code})


def cast(client, w, codes):
    return client.post(
        reverse("ballots:code_ballot", args=[w["cycle"].slug]),
        {f"s{w['section'].pk}": codes},
    )


def test_a_resident_votes_with_a_code_and_no_account(vote_world, client):
    w = vote_world
    w["open"]()
    code = issue(w, 1)[0]
    response = open_ballot(client, w, code.lower().replace("-", " "))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "ballots:code_ballot", args=[w["cycle"].slug]
    )
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert [p.title for p in w["proposals"]] == [
        t for t in ("P1", "P2", "P3", "P4") if t in page.content.decode()
    ]
    assert "You are voting with a posted code for Lane End" in page.content.decode()

    response = cast(client, w, w["codes"][:2])
    assert response.status_code == 200
    assert response.templates[0].name == "ballots/voted.html"
    assert box.ballots_in(w["cycle"]) == [{str(w["section"].pk): w["codes"][:2]}]
    record = VoterRecord.objects.get(cycle=w["cycle"])
    assert record.user is None
    assert record.voting_code.plain == code
    assert record.channel == Channel.ONLINE
    assert record.neighbourhood == w["hood"]
    assert VotingCode.objects.get(code=VotingCode.digest(code)).used_at is not None
    # The code has left the session: the ballot page sends the visitor back, saying
    # the code has voted (not that it is unknown).
    again = client.get(
        reverse("ballots:code_ballot", args=[w["cycle"].slug]), follow=True
    )
    assert again.redirect_chain[0][1] == 302
    said = [str(m) for m in again.context["messages"]]
    assert said == [
        "The code used in this browser has already voted: its ballot is in the box. "
        "Each code votes once."
    ]


def test_a_code_votes_once_online_or_on_paper(vote_world, client):
    w = vote_world
    w["open"]()
    online_first, paper_first = issue(w, 2)
    choices = {str(w["section"].pk): w["codes"][:1]}

    open_ballot(client, w, online_first)
    cast(client, w, w["codes"][:1])
    with pytest.raises(BallotInvalid, match="already been used to vote"):
        paper_ballot_enter(
            actor=w["organiser"], cycle=w["cycle"], code=online_first, choices=choices
        )
    response = open_ballot(client, w, online_first)
    assert response.status_code == 400
    assert "That code has already been used to vote. Each code votes once." in (
        response.content.decode()
    )

    paper_ballot_enter(
        actor=w["organiser"], cycle=w["cycle"], code=paper_first, choices=choices
    )
    assert (
        VoterRecord.objects.get(
            voting_code__code=VotingCode.digest(paper_first)
        ).channel
        == "paper"
    )
    response = open_ballot(client, w, paper_first)
    assert response.status_code == 400
    assert box.count(w["cycle"]) == 2
    assert VoterRecord.objects.filter(cycle=w["cycle"]).count() == 2


def test_a_code_opened_in_two_tabs_still_votes_once(vote_world, client):
    w = vote_world
    w["open"]()
    code = issue(w, 1)[0]
    open_ballot(client, w, code)
    session_copy = client.cookies["sessionid"].value
    cast(client, w, w["codes"][:1])
    client.cookies["sessionid"] = session_copy
    # The other tab's session was the same server session: the code is gone from it.
    response = cast(client, w, w["codes"][1:2])
    assert response.status_code == 302
    assert box.count(w["cycle"]) == 1


def test_an_invalid_ballot_keeps_the_code_unused(vote_world, client):
    w = vote_world
    w["open"]()
    code = issue(w, 1)[0]
    open_ballot(client, w, code)
    response = cast(client, w, w["codes"])  # four ticks; the rules allow three
    assert response.status_code == 400
    assert "Your ballot was not recorded" in response.content.decode()
    assert VotingCode.objects.get(code=VotingCode.digest(code)).used_at is None
    assert VoterRecord.objects.count() == 0
    assert box.count(w["cycle"]) == 0
    assert cast(client, w, w["codes"][:1]).status_code == 200
    assert box.count(w["cycle"]) == 1


def test_cancelled_and_foreign_codes_cannot_vote(vote_world, client):
    w = vote_world
    w["open"]()
    lost, spent = issue(w, 2)
    voting_codes.revoke(actor=w["officer"], cycle=w["cycle"], code=lost)
    response = open_ballot(client, w, lost)
    assert response.status_code == 400
    assert "That code has been cancelled." in response.content.decode()

    open_ballot(client, w, spent)
    cast(client, w, w["codes"][:1])
    with pytest.raises(VotingError, match="already voted"):
        voting_codes.revoke(actor=w["officer"], cycle=w["cycle"], code=spent)

    other = CycleFactory(place=w["hood"], slug="lane-end-next")
    SectionFactory(cycle=other, budget=w["section"].budget)
    w2 = dict(w, cycle=other)
    other_code = issue(w2, 1)[0]
    response = open_ballot(client, w, other_code)
    assert "That code is for a different vote." in response.content.decode()
    response = open_ballot(client, w, "ABCDE-FGHJK")
    assert "That code was not recognised." in response.content.decode()


def test_cancelling_a_batch_cancels_only_unused_codes(vote_world, client):
    w = vote_world
    w["open"]()
    codes = issue(w, 3)
    open_ballot(client, w, codes[0])
    cast(client, w, w["codes"][:1])
    batch = VotingCode.objects.get(code=VotingCode.digest(codes[0])).batch
    assert voting_codes.revoke_batch(actor=w["officer"], batch=batch) == 2
    assert VotingCode.objects.get(code=VotingCode.digest(codes[0])).revoked_at is None
    assert AuditEntry.objects.filter(action="voting_codes.revoke").count() == 1


def test_codes_follow_the_rules_of_the_cycle(vote_world):
    w = vote_world
    with pytest.raises(VotingError, match="inside Lane End"):
        issue(w, 1, place=w["other"])
    with pytest.raises(VotingError, match="between 1 and 5,000"):
        issue(w, 5001)
    FrameworkRules.objects.filter(place=w["county"]).update(
        verification_methods=["postcode", "approval"]
    )
    with pytest.raises(VotingError, match="do not accept posted codes"):
        issue(w, 1)
    assert VotingCode.objects.count() == 0


def test_codes_cannot_be_issued_once_voting_closed(vote_world):
    w = vote_world
    w["open"]()
    from ballots.services import cycle_set_phase

    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    w["cycle"].refresh_from_db()
    with pytest.raises(VotingError, match="Voting has closed"):
        issue(w, 1)


def test_the_code_page_says_when_voting_is_not_open(vote_world, client):
    w = vote_world
    response = client.get(reverse("ballots:code", args=[w["cycle"].slug]))
    assert "Voting is not open in this cycle." in response.content.decode()
    code_free = client.post(
        reverse("ballots:code", args=[w["cycle"].slug]), {"code": "ABCDE-FGHJK"}
    )
    assert code_free.status_code == 400
    assert VoterRecord.objects.count() == 0


def test_code_attempts_are_rate_limited(vote_world, client, monkeypatch):
    w = vote_world
    w["open"]()
    monkeypatch.setattr("ballots.code_views.CODE_ATTEMPTS", (3, 600))
    for _ in range(3):
        assert (
            "not recognised" in open_ballot(client, w, "ZZZZZ-ZZZZZ").content.decode()
        )
    response = open_ballot(client, w, issue(w, 1)[0])
    assert response.status_code == 400
    assert "You have reached the limit of 3 code attempts" in response.content.decode()


def test_officers_issue_print_and_cancel_codes(vote_world, login):
    w = vote_world
    client = login(w["officer"])
    url = reverse("ballots:codes", args=[w["cycle"].slug])
    response = client.post(url, {"place": w["hood"].pk, "count": 5, "note": "Flats"})
    assert response.status_code == 302
    batch = w["cycle"].code_batches.get()
    assert (batch.place, batch.codes.count(), batch.note) == (w["hood"], 5, "Flats")
    codes = sorted(c.plain for c in batch.codes.all())

    response = client.post(
        reverse("ballots:code_revoke", args=[w["cycle"].slug]), {"code": codes[0]}
    )
    assert response.status_code == 302
    download = reverse(
        "ballots:codes_download", args=[w["cycle"].slug, batch.pk, "csv"]
    )
    assert client.get(download).status_code == 405  # a logged download is a POST
    csv_file = client.post(download)
    rows = list(csv.reader(io.StringIO(csv_file.content.decode())))
    assert rows[0] == ["code", "place", "cycle"]
    assert sorted(r[0] for r in rows[1:]) == codes[1:]
    pdf = client.post(
        reverse("ballots:codes_download", args=[w["cycle"].slug, batch.pk, "pdf"])
    )
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    page = client.get(url).content.decode()
    assert "0 / 5" in page
    assert set(
        AuditEntry.objects.filter(action__startswith="voting_codes").values_list(
            "action", flat=True
        )
    ) == {"voting_codes.generate", "voting_codes.revoke", "voting_codes.export"}


def test_a_bad_batch_is_refused_with_the_reason(vote_world, login):
    w = vote_world
    client = login(w["officer"])
    url = reverse("ballots:codes", args=[w["cycle"].slug])
    response = client.post(url, {"place": w["hood"].pk, "count": 0})
    assert response.status_code == 400
    assert (
        "Ensure this value is greater than or equal to 1." in response.content.decode()
    )
    response = client.post(url, {"place": w["other"].pk, "count": 3})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert VotingCode.objects.count() == 0


def test_organisers_cannot_issue_codes(vote_world, login):
    w = vote_world
    client = login(w["organiser"])
    url = reverse("ballots:codes", args=[w["cycle"].slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"place": w["hood"].pk, "count": 5}).status_code == 403
    assert VotingCode.objects.count() == 0


def test_a_code_ballot_leaves_no_trace_of_the_code_in_the_box(vote_world, client):
    w = vote_world
    w["open"]()
    code = issue(w, 1)[0]
    open_ballot(client, w, code)
    cast(client, w, w["codes"][:1])
    from ballots.ballot_box import mix

    mix(w["cycle"].pk, minimum=1)
    ballot = Ballot.objects.get(cycle=w["cycle"])
    stored = repr({f.name: getattr(ballot, f.name) for f in Ballot._meta.fields})
    assert code not in stored
    assert [f.name for f in Ballot._meta.fields] == [
        "id",
        "cycle",
        "choices",
        "receipt_hash",
    ]


def test_posted_codes_count_in_the_electorate(vote_world):
    from ballots.selectors import turnout

    w = vote_world
    w["open"]()
    assert turnout(w["cycle"])["electorate"] == 5  # the five verified residents
    lost, used, waiting = issue(w, 3)
    voting_codes.revoke(actor=w["officer"], cycle=w["cycle"], code=lost)
    paper_ballot_enter(
        actor=w["organiser"],
        cycle=w["cycle"],
        code=used,
        choices={str(w["section"].pk): w["codes"][:1]},
    )
    assert turnout(w["cycle"]) == {"cast": 1, "electorate": 7, "percent": 14.3}
