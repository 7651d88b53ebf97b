"""What the security tests share: the roles walked, and a demo world with one record of
every kind a URL can point at (a forum, a proposal, a comment, a report, a draft and a
published decision, code batches...)."""

import pytest
from allauth.account.models import EmailAddress

from accountability.models import Decision
from accountability.services import decision_save
from ballots import voting_codes
from ballots.models import Cycle
from civic.models import Place, Role, User
from forums.models import Comment, Forum, Idea, Proposal, Topic
from forums.services import report_create, residency_codes

ROLES = [
    "anonymous",
    "unverified",
    "outsider",
    "resident",
    "organiser",
    "councillor",
    "officer",
]
EMAILS = {
    "outsider": "westmere@example.org",
    "resident": "resident@example.org",
    "organiser": "organiser@example.org",
    "councillor": "councillor@example.org",
    "officer": "officer@example.org",
}


@pytest.fixture
def world(demo_site):
    users = {role: User.objects.get(email=email) for role, email in EMAILS.items()}
    users["unverified"] = User.objects.create_user(
        email="unverified@example.org", password="x-pass-12345"
    )
    EmailAddress.objects.create(
        user=users["unverified"],
        email="unverified@example.org",
        verified=False,
        primary=True,
    )
    old_mill = Place.objects.get(slug="old-mill")
    forum = Forum.objects.get(slug="old-mill")
    proposal = (
        Proposal.objects.filter(forum=forum, status="published").order_by("pk").first()
    )
    funded = Proposal.objects.filter(
        forum__slug="canal-side", status__in=["in_delivery", "funded"]
    ).first()
    comment = Comment.objects.filter(forum=forum, author=users["resident"]).first()
    idea = Idea.objects.filter(forum=forum, author=users["resident"]).first()
    topic = Topic.objects.filter(forum=forum).first()
    batch = residency_codes.generate(
        actor=users["organiser"], forum=forum, count=2, days_valid=10
    )
    report = report_create(user=users["outsider"], target=comment, reason="rude")
    published = Decision.objects.filter(published_at__isnull=False).first()
    draft = decision_save(
        actor=users["councillor"],
        place=Place.objects.get(slug="eastbrook"),
        data={
            "kind": "defer",
            "title": "Defer",
            "text": "t",
            "reasons": "r",
            "conflicts": "",
            "decided_on": published.decided_on,
            "cycle": None,
        },
        votes=[(users["councillor"], "for", "")],
    )
    voting, counted = (
        Cycle.objects.get(slug="old-mill-2026"),
        Cycle.objects.get(slug="canal-side-2025"),
    )
    role = Role.objects.filter(place=old_mill, kind="resident").first()
    code_batch = voting_codes.generate(
        actor=users["officer"], cycle=voting, place=old_mill, count=2
    )
    return {k: v for k, v in locals().items() if k != "settings"}
