"""The open-data page and its downloads: built by the task queue, listed with licence,
format, size and time, CSV through the one formula-safe writer, 360Giving grants; the
grant recipient recorded on the delivery page."""

import csv
import io
import json

import pytest
from django.urls import reverse

from accountability.models import GrantRecipient
from opendata import tasks
from opendata.models import Download

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(open_world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    w = open_world
    w["proposal"].title = '=HYPERLINK("http://evil.example","Click")'
    w["proposal"].save()
    assert tasks.refresh(force=True) > 0
    return w


def _download(client, place, dataset, fmt):
    found = Download.objects.get(place=place, cycle="", dataset=dataset, fmt=fmt)
    response = client.get(found.get_absolute_url())
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert len(body) == found.size == int(response["Content-Length"])
    return body.decode()


def test_the_page_lists_every_download_with_licence_size_and_time(client, built):
    page = client.get(reverse("opendata:index")).content.decode()
    assert "Open Government Licence v3.0" in page
    assert (
        'href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"'
        in page
    )
    for label in (
        "Proposals",
        "Budgets",
        "Decisions",
        "Spending",
        "Grants (360Giving)",
    ):
        assert f"<strong>{label}</strong>" in page
    proposals = Download.objects.get(place="", dataset="proposals", fmt="csv")
    assert f'href="{proposals.get_absolute_url()}"' in page
    assert "Results of votes" in page and built["counted"].name in page
    # The counted vote's published ballot files, with their sizes.
    assert (
        reverse(
            "ballots:export",
            args=[built["counted"].slug, built["counted"].sections.get().pk, "pb"],
        )
        in page
    )
    # Linked from the footer and from each place page.
    place = client.get(reverse("civic:place", args=[built["old_mill"].slug]))
    assert (
        f"{reverse('opendata:index')}?place={built['old_mill'].slug}"
        in place.content.decode()
    )
    one = client.get(reverse("opendata:index"), {"place": built["old_mill"].slug})
    assert "Lane End and the places inside it" in one.content.decode()


def test_csv_cells_cannot_run_as_formulas_and_json_matches(client, built):
    rows = list(csv.DictReader(io.StringIO(_download(client, "", "proposals", "csv"))))
    titles = {r["id"]: r["title"] for r in rows}
    assert (
        titles[str(built["proposal"].pk)]
        == '\'=HYPERLINK("http://evil.example","Click")'
    )
    assert "Hidden planters" not in titles.values()
    document = json.loads(_download(client, "", "proposals", "json"))
    assert document["licence"]["name"] == "Open Government Licence v3.0"
    assert {str(p["id"]) for p in document["items"]} == set(titles)
    here = list(
        csv.DictReader(
            io.StringIO(_download(client, built["old_mill"].slug, "proposals", "csv"))
        )
    )
    assert {r["place"] for r in here} == {built["old_mill"].slug}


def test_grants_in_the_360giving_standard(client, built, settings):
    document = json.loads(_download(client, "", "grants-360giving", "json"))
    (grant,) = document["grants"]
    funded = built["funded"]
    assert grant["id"] == f"{settings.NB_360GIVING_PREFIX}-{funded.pk}"
    assert grant["title"] == funded.title and grant["currency"] == "GBP"
    assert grant["amountAwarded"] == funded.cost_pence / 100
    assert grant["recipientOrganization"] == [
        {"id": "GB-CHC-1190001", "name": "Zed Town Pantry", "charityNumber": "1190001"}
    ]
    (row,) = csv.DictReader(
        io.StringIO(_download(client, "", "grants-360giving", "csv"))
    )
    assert row["Identifier"] == grant["id"]
    assert row["Recipient Org:Identifier"] == "GB-CHC-1190001"
    assert row["Amount Awarded"] == str(funded.cost_pence / 100)
    assert row["Award Date"] == grant["awardDate"]


def test_downloads_are_rebuilt_only_when_the_data_changed(built):
    assert not tasks.stale()
    assert tasks.refresh() == 0
    built["old_mill"].summary = "New words"
    built["old_mill"].save()
    import time

    time.sleep(1.1)  # Last-Modified and staleness count whole seconds
    built["old_mill"].save()
    assert tasks.stale()
    assert tasks.refresh() > 0 and not tasks.stale()


def test_officers_record_the_grant_recipient_on_the_delivery_page(client, open_world):
    w = open_world
    funded = w["funded"]
    url = reverse("accountability:delivery", args=[funded.forum.slug, funded.pk])
    data = {
        "action": "recipient",
        "r-name": "Zed Town Allotment Society",
        "r-charity_number": "",
        "r-company_number": "09990001",
        "r-award_date": "2026-11-02",
    }
    client.force_login(w["users"]["resident"])
    assert client.post(url, data).status_code == 403
    client.force_login(w["users"]["officer"])
    response = client.post(url, data)
    assert response.status_code == 302
    recipient = GrantRecipient.objects.get(proposal=funded)
    assert recipient.name == "Zed Town Allotment Society"
    assert recipient.org_identifier == "GB-COH-09990001"
    page = client.get(url).content.decode()
    assert (
        "Zed Town Allotment Society" in page
        and "published as 360Giving open data" in page
    )
    # The form shows the recorded date (an HTML date field's ISO form), not today's.
    assert 'name="r-award_date" value="2026-11-02"' in page
    missing = client.post(url, {**data, "r-name": ""})
    assert (
        missing.status_code == 400
        and "This field is required." in missing.content.decode()
    )
    assert (
        GrantRecipient.objects.get(proposal=funded).name == "Zed Town Allotment Society"
    )
    not_funded = w["proposal"]
    refused = client.post(
        reverse("accountability:delivery", args=[not_funded.forum.slug, not_funded.pk]),
        data,
    )
    assert refused.status_code == 400
    assert "Only a funded project has a grant recipient." in refused.content.decode()
