"""List pages stay within a fixed number of queries however much data there is."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from forums.models import Comment, Idea, Proposal, ProposalStatus, Report
from tests.ballots.conftest import _no_frozen_cache, vote_world  # noqa: F401
from tests.security.conftest import world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(world):  # noqa: F811
    """The security tests' world (an open vote, a counted one, a decision...) with
    150 more proposals, 600 comments, 120 ideas and 60 reports in its forum."""
    forum, author = world["forum"], world["users"]["resident"]
    category = world["proposal"].category
    proposals = Proposal.objects.bulk_create(
        Proposal(
            forum=forum,
            title=f"Bulk {i}",
            summary="s",
            description="d",
            category=category,
            cost_pence=1000_00 + i,
            status=ProposalStatus.PUBLISHED,
        )
        for i in range(150)
    )
    comments = Comment.objects.bulk_create(
        Comment(
            forum=forum, proposal=proposals[i % 150], author=author, body="<p>x</p>"
        )
        for i in range(600)
    )
    Idea.objects.bulk_create(
        Idea(
            forum=forum,
            author=author,
            title=f"Idea {i}",
            summary="s",
            description="d",
            category=category,
        )
        for i in range(120)
    )
    Report.objects.bulk_create(
        Report(forum=forum, comment=c, reporter=author, reason="r")
        for c in comments[:60]
    )
    return world


# (who, url name, the world's object its address takes, most queries)
PAGES = [
    (None, "civic:home", None, 6),
    (None, "civic:place", "old_mill", 18),
    (None, "forums:ideas", "forum", 8),
    (None, "forums:forum", "forum", 14),
    (None, "accountability:decisions", "old_mill", 10),
    ("officer", "civic:audit_log", "county", 12),
    (None, "ballots:results", "counted", 20),
    (None, "ballots:cycle", "voting", 16),
    # 12, and 2 for the polling points' counts and spoilt papers.
    (None, "ballots:statistics", "voting", 14),
    (None, "accountability:report", "county", 10),
]


@pytest.mark.parametrize("who,name,of,budget", PAGES)
def test_list_page_query_budget(
    busy, client, django_assert_max_num_queries, who, name, of, budget
):
    if who:
        client.force_login(busy["users"][who])
    thing = busy["old_mill"].get_root() if of == "county" else busy.get(of)
    url = reverse(name, args=[thing.slug] if thing else [])
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200, url


def test_search_query_budget(busy, client, django_assert_max_num_queries):
    call_command("update_index", verbosity=0)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("search"), {"q": "bulk"})
    assert response.content.decode().count(">Bulk ") >= 10
