"""The home page points residents without an account at voting with their code."""

import pytest

from ballots.models import Cycle
from tests.ballots.conftest import _no_frozen_cache, vote_world  # noqa: F401


@pytest.fixture
def open_vote(vote_world, home_page):  # noqa: F811
    return vote_world["open"]()  # its rules accept codes posted to the household


def test_an_open_vote_that_takes_codes_links_to_the_code_page(open_vote, client):
    page = client.get("/").content.decode()
    code_page = f"/cycles/{open_vote.slug}/code/"
    assert f'<a href="{code_page}">vote with a code from your letter</a>' in page


def test_no_code_link_where_the_rules_refuse_posted_codes(open_vote, client):
    cycle = open_vote
    cycle.frozen_rules = {**cycle.frozen_rules, "verification_methods": ["postcode"]}
    cycle.save(update_fields=["frozen_rules"])
    assert Cycle.objects.get(pk=cycle.pk).accepts_voting_codes is False
    page = client.get("/").content.decode()
    assert f"/cycles/{cycle.slug}/code/" not in page
    assert cycle.name in page  # the open vote itself is still shown
