"""The voting pages work without JavaScript and refuse bad input clearly."""

import re

import pytest
from django.urls import reverse

from forums.models import Proposal, ProposalStatus
from tests.admin_answers import sent_to_admin_sign_in
from tests.ballots import box


@pytest.fixture
def open_world(vote_world):
    vote_world["open"]()
    return vote_world


def test_vote_page_and_cast_without_javascript(client, open_world):
    w = open_world
    voter = w["voters"][0]
    client.force_login(voter)
    url = reverse("ballots:vote", args=[w["cycle"].slug])
    page = client.get(url)
    assert page.status_code == 200 and 'role="meter"' in page.content.decode()
    field = f"s{w['section'].pk}"
    bad = client.post(url, {field: w["codes"]})
    assert (
        bad.status_code == 400
        and "at most 3" in bad.content.decode()
        and box.count(w["cycle"]) == 0
    )
    good = client.post(url, {field: w["codes"][:2]})
    assert good.status_code == 200 and "receipt-code" in good.content.decode()
    assert box.count(w["cycle"]) == 1
    # The browser remembers the receipt, so casting again replaces the ballot.
    again = client.post(url, {field: w["codes"][2:3]})
    assert again.status_code == 200 and box.count(w["cycle"]) == 1


def ballot_order(client, url, **params):
    page = client.get(url, params).content.decode()
    return re.findall(r'<span class="ballot-title">([^<]+)</span>', page)


def test_order_is_random_per_voter_but_stable(client, vote_world):
    """Each voter sees the projects in their own shuffled order, the same every time
    they look: a permutation of the whole ballot. With 12 projects two voters share
    an order by chance once in 479 million."""
    w = vote_world
    first = w["proposals"][0]
    for i in range(5, 13):
        Proposal.objects.create(
            forum=w["forum"],
            title=f"P{i}",
            summary="s",
            description="d",
            category=first.category,
            cost_pence=1000_00,
            status=ProposalStatus.SHORTLISTED,
        )
    w["open"]()
    url = reverse("ballots:vote", args=[w["cycle"].slug])
    titles = sorted(f"P{i}" for i in range(1, 13))
    orders = []
    for voter in w["voters"][:3]:
        client.force_login(voter)
        order = ballot_order(client, url)
        assert sorted(order) == titles
        assert ballot_order(client, url) == order
        orders.append(order)
    assert len({tuple(o) for o in orders}) == 3
    assert all(order != titles for order in orders)
    # Sorting by cost is offered to everyone: cheapest first, then by title.
    by_cost = ballot_order(client, url, sort="cost")
    assert by_cost == ["P10", "P11", "P12", "P5", "P6", "P7", "P8", "P9", "P1"] + [
        "P2",
        "P3",
        "P4",
    ]


def test_order_is_alphabetical_when_the_rules_turn_shuffling_off(client, vote_world):
    w = vote_world
    w["open"](randomise_order=False)
    client.force_login(w["voters"][0])
    url = reverse("ballots:vote", args=[w["cycle"].slug])
    assert ballot_order(client, url) == ["P1", "P2", "P3", "P4"]


def test_ranked_ballot_keeps_the_ranks_after_an_error(client, vote_world):
    w = vote_world
    w["open"](ballot_method="ranked", max_ranked=3, min_choices=1)
    client.force_login(w["voters"][0])
    url = reverse("ballots:vote", args=[w["cycle"].slug])
    sid = w["section"].pk
    c1, c2, c3, c4 = w["codes"]
    response = client.post(
        url, {f"s{sid}_r_{c1}": "2", f"s{sid}_r_{c2}": "2", f"s{sid}_r_{c3}": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Give each ranked project a different number." in page
    selected = {
        code: re.findall(
            r'<option value="(\d+)" selected>',
            re.search(rf'name="s{sid}_r_{code}".*?</select>', page, re.S).group(0),
        )
        for code in (c1, c2, c3, c4)
    }
    assert selected == {c1: ["2"], c2: ["2"], c3: ["1"], c4: []}
    assert box.count(w["cycle"]) == 0


def test_paper_ballot_keeps_what_was_keyed_in_after_an_error(client, vote_world):
    w = vote_world
    w["open"]()
    client.force_login(w["organiser"])
    url = reverse("work:paper", args=[w["cycle"].slug])
    sid = w["section"].pk
    response = client.post(
        url, {"email": w["voters"][0].email, "code": "", f"s{sid}": w["codes"]}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "at most 3" in page
    checked = re.findall(rf'name="s{sid}" value="(\d+)" checked', page)
    assert sorted(checked) == sorted(w["codes"])
    assert box.count(w["cycle"]) == 0


def test_anonymous_is_sent_to_sign_in(client, open_world):
    response = client.get(reverse("ballots:vote", args=[open_world["cycle"].slug]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_outsider_sees_why_they_cannot_vote(client, open_world):
    client.force_login(open_world["outsider"])
    page = client.get(
        reverse("ballots:vote", args=[open_world["cycle"].slug])
    ).content.decode()
    # What is true: the vote is for Lane End, and where the outsider is verified.
    assert (
        "This vote is for residents of Lane End; you are a verified resident of "
        "Zed Town." in page
    )


def test_receipt_page(client, open_world):
    from ballots.services import ballot_cast

    w = open_world
    receipt = ballot_cast(
        user=w["voters"][0],
        cycle=w["cycle"],
        choices={str(w["section"].pk): w["codes"][:1]},
    )
    url = reverse("ballots:receipt", args=[w["cycle"].slug])
    ok = client.post(
        url, {"receipt": receipt.lower().replace("-", "")}
    ).content.decode()
    assert "this ballot is in the count" in ok and "P1" in ok
    missing = client.post(url, {"receipt": "AAAA-BBBB-CCCC-DDDD"}).content.decode()
    assert "No ballot has that receipt" in missing


def test_paper_entry_is_the_organisers_back_office_page(client, open_world):
    w = open_world
    url = reverse("work:paper", args=[w["cycle"].slug])
    sent_to_admin_sign_in(client.get(url), url)
    client.force_login(w["voters"][0])  # no staff role: not in the back office
    sent_to_admin_sign_in(client.get(url), url)
    client.force_login(w["organiser"])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "who,status",
    [("anonymous", 302), ("voter", 403), ("organiser", 403), ("officer", 302)],
)
def test_phase_change_permissions(client, open_world, who, status):
    w = open_world
    if who != "anonymous":
        client.force_login(
            w[{"voter": "voters", "organiser": "organiser", "officer": "officer"}[who]]
            if who != "voter"
            else w["voters"][0]
        )
    response = client.post(
        reverse("ballots:phase", args=[w["cycle"].slug]),
        {"phase": "counting", "confirm": "on"},
    )
    assert response.status_code == status
    w["cycle"].refresh_from_db()
    assert w["cycle"].phase == ("counting" if who == "officer" else "voting")


def test_json_casting_endpoint(client, open_world):
    import json

    w = open_world
    url = reverse("ballots:cast_json", args=[w["cycle"].slug])
    assert client.post(url, "{}", content_type="application/json").status_code == 401
    client.force_login(w["voters"][0])
    section = str(w["section"].pk)
    bad = client.post(
        url,
        json.dumps({"choices": {section: w["codes"]}}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "at most 3" in bad.json()["errors"][0]
    assert (
        client.post(url, "not json", content_type="application/json").status_code == 400
    )
    # A budget key that is not a number is a refusal in words, never a 500.
    for key in ("abc", "-1", "1.5", ""):
        odd = client.post(
            url,
            json.dumps({"choices": {key: ["13"]}}),
            content_type="application/json",
        )
        assert odd.status_code == 400, key
        assert odd.json()["errors"] == [
            "Your ballot includes a budget that is not part of this vote."
        ]
    ok = client.post(
        url,
        json.dumps({"choices": {section: w["codes"][:1]}}),
        content_type="application/json",
    )
    assert ok.status_code == 201 and len(ok.json()["receipt"]) == 19
    again = client.post(
        url,
        json.dumps({"choices": {section: w["codes"][:1]}}),
        content_type="application/json",
    )
    assert again.status_code == 409


def test_statistics_suppress_small_groups(client, open_world):
    from ballots.selectors.statistics import MIN_GROUP
    from ballots.services import ballot_cast

    w = open_world
    for voter in w["voters"]:
        ballot_cast(
            user=voter, cycle=w["cycle"], choices={str(w["section"].pk): w["codes"][:1]}
        )
    page = client.get(
        reverse("ballots:statistics", args=[w["cycle"].slug])
    ).content.decode()
    assert len(w["voters"]) < MIN_GROUP
    # Five voters, all in one neighbourhood and age band: too few to show as a group.
    assert "Lane End" not in page.split("By neighbourhood")[1].split("By age band")[0]
    assert f"fewer than {MIN_GROUP} each" in page
    assert "<svg" in page and "Participation over time" in page
    # The same tables as a CSV, merged the same way.
    response = client.get(
        reverse("ballots:statistics", args=[w["cycle"].slug]), {"format": "csv"}
    )
    assert response["Content-Type"] == "text/csv"
    rows = response.content.decode().splitlines()
    assert rows[0] == "table,group,voters,so_far"
    assert f"By neighbourhood,Other groups (fewer than {MIN_GROUP} each),5," in rows
    assert not any("Lane End" in row for row in rows)
    assert rows[-1].startswith("Participation over time,") and rows[-1].endswith(",5,5")


def test_looking_at_pages_never_moves_a_phase(client, vote_world):
    """A cycle whose voting date has passed stays as it is while people look at it
    (the scheduled advance_phases moves it); a vote cast moves it first."""
    import datetime as dt

    from django.utils import timezone

    from ballots.models import Phase

    w = vote_world
    cycle = w["cycle"]
    cycle.voting_start = timezone.now() - dt.timedelta(minutes=1)
    cycle.save()
    client.force_login(w["voters"][0])
    for name in ("ballots:cycle", "ballots:vote", "ballots:results"):
        assert client.get(reverse(name, args=[cycle.slug])).status_code == 200, name
    cycle.refresh_from_db()
    assert cycle.phase == Phase.SHORTLIST
    assert not cycle.phase_changes.exists()

    url = reverse("ballots:vote", args=[cycle.slug])
    response = client.post(url, {f"s{w['section'].pk}": w["codes"][:1]})
    assert response.status_code == 200 and "receipt-code" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.phase == Phase.VOTING
    assert box.count(w["cycle"]) == 1
