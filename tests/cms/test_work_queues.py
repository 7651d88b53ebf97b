"""The 'Neighbourhood work' queues in the Wagtail admin: read-only and role-scoped."""

import pytest
from django.urls import reverse

from civic.models import AuditEntry, Place, Role, User
from forums.models import Idea
from tests.admin_answers import refused_by_the_admin, sent_to_admin_sign_in

pytestmark = pytest.mark.django_db


def test_organiser_sees_only_their_forums_ideas(client, demo_site):
    organiser = User.objects.get(email="organiser@example.org")  # Millbrook Ward
    client.force_login(organiser)
    idea = Idea.objects.filter(forum__slug="old-mill").first()
    page = client.get(reverse("queue_idea:index")).content.decode()
    assert idea.title in page  # an Old Mill idea
    other = User.objects.create_user(
        email="far@example.org", password="x-long-pass-1", is_demo=True
    )
    Role.objects.create(
        user=other, place=Place.objects.get(slug="riverside-ward"), kind="organiser"
    )
    client.force_login(other)
    assert idea.title not in client.get(reverse("queue_idea:index")).content.decode()
    refused = client.get(reverse("queue_idea:inspect", args=[idea.pk]))
    refused_by_the_admin(refused)


@pytest.mark.parametrize("email", ["organiser@example.org", "admin@example.org"])
def test_queues_are_read_only(client, demo_site, email):
    """Nobody, a superuser included, adds or edits a record as raw fields in a queue:
    every change goes through the actions (and their services)."""
    user = User.objects.get(email=email)
    assert user.is_superuser == (email == "admin@example.org")
    client.force_login(user)
    idea = Idea.objects.filter(forum__slug="old-mill").first()
    refused_by_the_admin(client.get(reverse("queue_idea:add")))
    refused_by_the_admin(client.get(reverse("queue_idea:edit", args=[idea.pk])))
    refused_by_the_admin(client.get(reverse("queue_idea:delete", args=[idea.pk])))
    assert client.get(reverse("queue_idea:inspect", args=[idea.pk])).status_code == 200


def test_audit_log_for_councillors_and_officers_only(client, demo_site):
    client.force_login(User.objects.get(email="councillor@example.org"))
    page = client.get(reverse("queue_auditentry:index"))
    assert page.status_code == 200 and AuditEntry.objects.exists()
    client.force_login(User.objects.get(email="resident@example.org"))
    url = reverse("queue_auditentry:index")
    sent_to_admin_sign_in(client.get(url), url)
    client.force_login(User.objects.get(email="organiser@example.org"))
    refused_by_the_admin(client.get(url))
