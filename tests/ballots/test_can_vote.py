"""“Can I vote?” on a cycle: a postcode in, whether, how and from when out; for a
signed-in person what their account needs; never whether anyone has voted."""

import pytest
from django.urls import reverse

from ballots.services import ballot_cast
from civic.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(vote_world):
    w = vote_world
    Place.objects.filter(pk=w["hood"].pk).update(postcode_areas="LE1 1, LE1 2")
    Place.objects.filter(pk=w["other"].pk).update(postcode_areas="ZT9")
    w["url"] = reverse("ballots:can_vote", args=[w["cycle"].slug])
    return w


def ask(client, w, postcode):
    response = client.get(w["url"], {"postcode": postcode})
    return response, response.content.decode()


def test_an_eligible_postcode_learns_where_how_and_when(client, world):
    response, page = ask(client, world, "le12ab")
    assert response.status_code == 200
    assert "Yes: residents of Lane End can vote in Lane End 2026." in page
    assert "You vote on the budget of Lane End." in page
    assert (
        "Online, on this site: create an account, join your neighbourhood forum and "
        "show that you live in Lane End (postcode self-declaration; verification code "
        "posted to the household; approval by a forum organiser)." in page
    )
    assert "With the voting code posted to your home" in page
    assert "You must be 16 or over." in page
    assert "Voting opens" in page  # the dates, before voting opens
    assert 'value="le12ab"' in page


def test_an_ineligible_postcode_is_told_why_and_where_it_can_vote(client, world):
    _response, page = ask(client, world, "ZT9 4QQ")
    assert "ZT9 4QQ is in Zed Town; this vote is for Lane End only." in page
    assert "Yes:" not in page
    _response, page = ask(client, world, "AB1 2CD")
    assert (
        "We could not find AB1 2CD in the areas this site covers. Check the postcode; "
        "if it is right, your area does not have a vote here." in page
    )
    response, page = ask(client, world, "hello")
    assert response.status_code == 400
    assert (
        "“hello” is not a UK postcode: enter it as on a letter, e.g. NB1 2AB." in page
    )


def test_a_signed_in_person_learns_what_their_account_needs(client, world):
    w = world
    client.force_login(w["outsider"])
    _response, page = ask(client, w, "LE1 1AA")
    assert (
        "This vote is for residents of Lane End; you are a verified resident of Zed "
        "Town." in page
    )
    client.force_login(w["voters"][0])
    _response, page = ask(client, w, "LE1 1AA")
    assert (
        "Your account will be eligible when voting opens, as a resident of Lane End."
        in page
    )


def test_the_answer_never_says_whether_someone_has_voted(client, world):
    w = world
    w["open"]()
    voter = w["voters"][0]
    client.force_login(voter)
    _response, before = ask(client, w, "LE1 1AA")
    ballot_cast(
        user=voter, cycle=w["cycle"], choices={str(w["section"].pk): [w["codes"][0]]}
    )
    _response, after = ask(client, w, "LE1 1AA")
    answer = before[
        before.index('<section class="answer"') : before.index("</section>")
    ]
    assert (
        "Your account is eligible to vote in this cycle, as a resident of Lane End."
        in answer
    )
    assert (
        answer
        == after[after.index('<section class="answer"') : after.index("</section>")]
    )
