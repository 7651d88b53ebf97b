"""List pages stay within a fixed number of queries however much data there is."""

import pytest
from django.urls import reverse

from civic.models import User
from forums.models import Comment, Forum, Idea, Proposal, ProposalStatus, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(demo_site):
    forum = Forum.objects.get(slug="old-mill")
    author = User.objects.get(email="resident@example.org")
    category = Proposal.objects.filter(forum=forum).first().category
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
    return forum


@pytest.mark.parametrize(
    "who,url,budget",
    [
        (None, reverse("civic:home"), 6),
        (None, "/places/old-mill/", 18),
        (None, reverse("forums:ideas", args=["old-mill"]), 8),
        (None, reverse("accountability:decisions", args=["canal-side"]), 10),
        ("officer@example.org", reverse("civic:audit_log", args=["northshire"]), 12),
        (None, reverse("ballots:results", args=["canal-side-2025"]), 20),
        (None, reverse("ballots:cycle", args=["old-mill-2026"]), 16),
        (None, reverse("ballots:statistics", args=["old-mill-2026"]), 12),
        (None, reverse("accountability:report", args=["northshire"]), 10),
        (None, reverse("search") + "?q=bulk", 10),
    ],
)
def test_list_page_query_budget(
    busy, client, django_assert_max_num_queries, who, url, budget
):
    if who:
        client.force_login(User.objects.get(email=who))
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200, url
