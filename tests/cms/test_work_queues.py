"""The 'Neighbourhood work' queues in the Wagtail admin: read-only and role-scoped."""

import pytest
from django.urls import reverse

from civic.models import AuditEntry, PlaceKind, RoleKind
from civic.services import role_grant
from forums.models import Idea
from tests.admin_answers import refused_by_the_admin, sent_to_admin_sign_in
from tests.factories import (
    CategoryFactory,
    ForumFactory,
    UserFactory,
    grant,
    make_place,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards(settings):
    """Two wards of a county, each with an organiser; in the first, a neighbourhood
    forum with an idea; a councillor and an officer of the county; a resident."""
    settings.NB_DEMO_MFA_EXEMPT = True
    county = make_place("Shire", PlaceKind.COUNTY)
    mill = make_place("Mill Ward", PlaceKind.WARD, county)
    county.refresh_from_db()
    river = make_place("River Ward", PlaceKind.WARD, county)
    mill.refresh_from_db()
    hood = make_place("Mill End", PlaceKind.NEIGHBOURHOOD, mill)
    people = {kind: UserFactory(is_demo=True) for kind in ("organiser", "far", "cllr")}
    people["officer"], people["resident"] = UserFactory(is_demo=True), UserFactory()
    grant(people["officer"], county, RoleKind.OFFICER)
    role_grant(  # audited: the audit log has an entry for the county
        actor=people["officer"], user=people["organiser"], place=mill, kind="organiser"
    )
    grant(people["far"], river, RoleKind.ORGANISER)
    grant(people["cllr"], county, RoleKind.COUNCILLOR)
    grant(people["resident"], hood)
    idea = Idea.objects.create(
        forum=ForumFactory(place=hood),
        author=people["resident"],
        title="Benches by the pond",
        summary="s",
        description="d",
        category=CategoryFactory(),
    )
    return {**people, "idea": idea}


def test_organiser_sees_only_their_forums_ideas(client, wards):
    idea = wards["idea"]
    client.force_login(wards["organiser"])
    page = client.get(reverse("queue_idea:index")).content.decode()
    assert idea.title in page
    client.force_login(wards["far"])  # organiser of the other ward
    assert idea.title not in client.get(reverse("queue_idea:index")).content.decode()
    refused = client.get(reverse("queue_idea:inspect", args=[idea.pk]))
    refused_by_the_admin(refused)


@pytest.mark.parametrize("who", ["organiser", "superuser"])
def test_queues_are_read_only(client, wards, who):
    """Nobody, a superuser included, adds or edits a record as raw fields in a queue:
    every change goes through the actions (and their services)."""
    user = wards.get(who) or UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    idea = wards["idea"]
    refused_by_the_admin(client.get(reverse("queue_idea:add")))
    refused_by_the_admin(client.get(reverse("queue_idea:edit", args=[idea.pk])))
    refused_by_the_admin(client.get(reverse("queue_idea:delete", args=[idea.pk])))
    assert client.get(reverse("queue_idea:inspect", args=[idea.pk])).status_code == 200


def test_audit_log_for_councillors_and_officers_only(client, wards):
    url = reverse("queue_auditentry:index")
    client.force_login(wards["cllr"])
    page = client.get(url).content.decode()
    entry = AuditEntry.objects.get(action="role.grant")
    assert entry.summary in page
    client.force_login(wards["resident"])
    sent_to_admin_sign_in(client.get(url), url)
    client.force_login(wards["organiser"])
    refused_by_the_admin(client.get(url))
