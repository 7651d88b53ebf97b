"""Officers set up cycles (with several budgets) in the Wagtail back office."""

from django.core.management import call_command
from django.urls import reverse

from ballots.models import Cycle


def test_admin_creates_a_cycle_with_two_budgets(vote_world, client):
    from civic.models import User

    admin = User.objects.create_superuser(
        email="root@example.org", password="x-long-password-1"
    )
    client.force_login(admin)
    w = vote_world
    url = reverse("wagtailsnippets_ballots_cycle:add")
    assert client.get(url).status_code == 200
    data = {
        "place": w["county"].pk,
        "name": "County cycle",
        "slug": "county-cycle",
        "description": "",
        "sections-TOTAL_FORMS": "2",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "1",
        "sections-MAX_NUM_FORMS": "1000",
    }
    for i, place in enumerate((w["hood"], w["other"])):
        data.update(
            {
                f"sections-{i}-place": place.pk,
                f"sections-{i}-budget": "",
                f"sections-{i}-budget_pence": "1000000",
                f"sections-{i}-position": str(i),
                f"sections-{i}-ORDER": str(i + 1),
                f"sections-{i}-id": "",
                f"sections-{i}-DELETE": "",
            }
        )
    for name in (
        "ideas_start",
        "review_start",
        "shortlist_start",
        "voting_start",
        "counting_start",
        "results_start",
        "delivery_start",
    ):
        data[name] = ""
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    cycle = Cycle.objects.get(slug="county-cycle")
    assert cycle.phase == "ideas" and cycle.sections.count() == 2


def test_advance_phases_command(vote_world, capsys):
    import datetime as dt

    from django.utils import timezone

    cycle = vote_world["cycle"]
    cycle.voting_start = timezone.now() - dt.timedelta(seconds=5)
    cycle.save()
    call_command("advance_phases")
    cycle.refresh_from_db()
    assert cycle.phase == "voting" and "1 cycle(s) moved" in capsys.readouterr().out
