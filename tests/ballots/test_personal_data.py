"""A resident downloads their data and deletes their account; their ballot stays counted
and their comments stay, anonymised."""

import json

from django.urls import reverse

from ballots.models import Ballot, VoterRecord
from ballots.services import ballot_cast
from civic.models import User
from forums.models import Comment
from forums.services import comment_post


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
    assert Ballot.objects.filter(cycle=w["cycle"]).count() == 1
    assert VoterRecord.objects.filter(cycle=w["cycle"], erased=True).count() == 1
    assert Comment.objects.get(pk=comment.pk).author is None
