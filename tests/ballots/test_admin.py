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


def _cycle_edit_data(cycle, **changes):
    data = {
        "place": cycle.place_id,
        "name": cycle.name,
        "slug": cycle.slug,
        "description": cycle.description,
        "voting_start": cycle.voting_start.strftime("%Y-%m-%d %H:%M"),
        "counting_start": cycle.counting_start.strftime("%Y-%m-%d %H:%M"),
        "sections-TOTAL_FORMS": str(cycle.sections.count()),
        "sections-INITIAL_FORMS": str(cycle.sections.count()),
        "sections-MIN_NUM_FORMS": "1",
        "sections-MAX_NUM_FORMS": "1000",
    }
    for i, section in enumerate(cycle.sections.all()):
        data.update(
            {
                f"sections-{i}-id": str(section.pk),
                f"sections-{i}-place": str(section.place_id),
                f"sections-{i}-budget": str(section.budget_id or ""),
                f"sections-{i}-budget_pence": f"{section.budget_pence / 100:.2f}",
                f"sections-{i}-position": str(section.position),
                f"sections-{i}-DELETE": "",
            }
        )
    data.update(changes)
    return data


def test_the_ballot_is_frozen_in_the_admin_once_voting_opens(vote_world, client):
    """Before voting the budgets on the ballot can be edited; once voting has opened
    changing, adding or removing one is refused with a message, and the dates and
    description stay editable."""
    w = vote_world
    cycle, section = w["cycle"], w["section"]
    client.force_login(w["officer"])
    url = reverse("wagtailsnippets_ballots_cycle:edit", args=[cycle.pk])

    before = client.post(
        url, _cycle_edit_data(cycle, **{"sections-0-budget_pence": "50000"})
    )
    assert before.status_code == 302
    section.refresh_from_db()
    assert section.budget_pence == 50000_00

    w["open"]()
    projects = sorted(section.projects.values_list("code", flat=True))
    frozen = "Voting has opened, so the budgets on the ballot are frozen"
    attempts = {
        "change": {"sections-0-budget_pence": "90000"},
        "remove": {"sections-0-DELETE": "on"},
        "add": {
            "sections-TOTAL_FORMS": "2",
            "sections-1-id": "",
            "sections-1-place": str(w["other"].pk),
            "sections-1-budget": "",
            "sections-1-budget_pence": "100",
            "sections-1-position": "1",
            "sections-1-DELETE": "",
        },
    }
    for name, change in attempts.items():
        response = client.post(url, _cycle_edit_data(cycle, **change))
        assert response.status_code == 200, name
        assert frozen in response.content.decode(), name
        assert list(cycle.sections.values_list("pk", "budget_pence")) == [
            (section.pk, 50000_00)
        ], name
        assert sorted(section.projects.values_list("code", flat=True)) == projects

    allowed = client.post(url, _cycle_edit_data(cycle, description="Now with dates"))
    assert allowed.status_code == 302
    cycle.refresh_from_db()
    assert cycle.description == "Now with dates"


def test_the_ballots_choosers_hold_only_the_cycles_place_and_below(vote_world, client):
    """A neighbourhood cycle's budget chooser lists that neighbourhood's budgets, not
    every budget in the county, and a budget of another place is refused by name."""
    from tests.factories import BudgetFactory

    w = vote_world
    elsewhere = BudgetFactory(place=w["other"], name="Zed money")
    client.force_login(w["officer"])
    url = reverse("wagtailsnippets_ballots_cycle:edit", args=[w["cycle"].pk])
    page = client.get(url).content.decode()
    chooser = page.split('name="sections-0-budget"')[1].split("</select>")[0]
    assert w["section"].budget.name in chooser and "Zed money" not in chooser
    places = page.split('name="sections-0-place"')[1].split("</select>")[0]
    assert "Lane End" in places and "Zed Town" not in places
    refused = client.post(
        url,
        _cycle_edit_data(w["cycle"], **{"sections-0-budget": str(elsewhere.pk)}),
    )
    assert refused.status_code == 200
    w["section"].refresh_from_db()
    assert w["section"].budget_id != elsewhere.pk
