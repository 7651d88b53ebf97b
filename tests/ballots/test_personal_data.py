"""A resident downloads their data and deletes their account; their ballot stays counted
and their comments stay, anonymised."""

import json

from django.urls import reverse

from ballots.models import VoterRecord
from ballots.services import ballot_cast
from civic.models import User
from forums.models import Comment
from forums.services import comment_post
from tests.ballots import box


def test_download_and_delete(vote_world, client):
    w = vote_world
    w["open"]()
    voter = w["voters"][0]
    voter.set_password("my-secret-pass-1")
    voter.save()
    ballot_cast(
        user=voter, cycle=w["cycle"], choices={str(w["section"].pk): w["codes"][:1]}
    )
    comment = comment_post(author=voter, thread=w["proposals"][0], body="I like it")
    client.force_login(voter)
    data = json.loads(client.get(reverse("civic:my_data")).content)
    assert data["account"]["email"] == voter.email
    assert data["comments"][0]["body"] == "<p>I like it</p>"
    assert (
        data["votes"][0]["cycle"] == w["cycle"].name
        and "choices" not in data["votes"][0]
    )
    wrong = client.post(reverse("civic:delete_account"), {"password": "nope"})
    assert wrong.status_code == 400 and User.objects.filter(pk=voter.pk).exists()
    client.post(reverse("civic:delete_account"), {"password": "my-secret-pass-1"})
    assert not User.objects.filter(pk=voter.pk).exists()
    assert box.count(w["cycle"]) == 1
    assert VoterRecord.objects.filter(cycle=w["cycle"], erased=True).count() == 1
    assert Comment.objects.get(pk=comment.pk).author is None


def test_download_holds_every_kind_of_contribution(vote_world, client):
    """Topics, reports, reactions and follows are in the download as well as comments,
    ideas, proposals, memberships and votes."""
    from forums.models import Reaction
    from forums.services import (
        follow_toggle,
        reaction_toggle,
        report_create,
        topic_create,
    )

    w = vote_world
    voter, other = w["voters"][0], w["voters"][1]
    proposal = w["proposals"][0]
    topic = topic_create(
        author=voter, forum=w["forum"], title="Bus shelter", body="Where should it go?"
    )
    theirs = comment_post(author=other, thread=proposal, body="Too dear")
    reaction_toggle(user=voter, comment=theirs, value=Reaction.DISAGREE)
    report_create(user=voter, target=theirs, reason="Off topic")
    follow_toggle(user=voter, forum=w["forum"])
    # Someone else's contributions are not in this person's download.
    topic_create(author=other, forum=w["forum"], title="Not mine", body="x")
    follow_toggle(user=other, forum=w["forum"])

    client.force_login(voter)
    data = json.loads(client.get(reverse("civic:my_data")).content)
    assert [(t["title"], t["forum"]) for t in data["topics"]] == [
        ("Bus shelter", "Lane End forum")
    ]
    assert data["reactions"] == [
        {"comment": theirs.pk, "on": "P1", "reaction": "disagree"}
    ]
    assert [(r["about"], r["reason"]) for r in data["reports"]] == [
        ("comment", "Off topic")
    ]
    assert [f["forum"] for f in data["follows"]] == ["Lane End forum"]
    assert data["comments"] == []

    client.post(reverse("civic:delete_account"), {"password": "pw-for-tests-1"})
    topic.refresh_from_db()
    assert topic.author is None and topic.title == "Bus shelter"
