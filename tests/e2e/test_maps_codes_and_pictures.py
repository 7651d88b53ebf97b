"""The demo county in Chromium: maps (boundaries, markers, the list narrowed to the
visible area, the location picker, the page without JavaScript), voting with a posted
code, and the picture gallery. Tiles come from a local stub. axe-core checks each
page; screenshots go to screenshots/."""

import re

import pytest
from django.core.management import call_command

from ballots import voting_codes
from ballots.models import Cycle, VoterRecord, VotingCode
from civic import geo
from civic.models import Place, User
from forums.models import PUBLIC_STATUSES, Idea, Proposal
from tests.e2e.test_voting_in_the_browser import (  # noqa: F401
    browser,
    check_axe,
    shoot,
    voter_page,
)
from tests.servers import free_port, start_server
from tests.tile_stub import TileStub

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def site(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    settings.DEBUG = False
    stub = TileStub()
    port = free_port()
    server = start_server(
        port,
        "",
        "nbmaps",
        {
            "NB_MAP_TILES": stub.url,
            "NB_SERVE_MEDIA": "1",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        },
    )
    yield {"base": f"http://127.0.0.1:{port}", "stub": stub}
    server.terminate()
    server.wait(timeout=10)
    stub.close()


def markers(page, expected):
    page.wait_for_function(
        f"document.querySelectorAll('.map-marker').length === {expected}"
    )
    return page.locator(".map-marker").count()


def located(forum_slug):
    return Proposal.objects.filter(
        forum__slug=forum_slug,
        status__in=PUBLIC_STATUSES,
        hidden=False,
        latitude__isnull=False,
    )


def test_the_forum_map_shows_every_placed_proposal_and_narrows_the_list(
    browser,  # noqa: F811
    site,
):
    page = browser.new_context().new_page()
    page.goto(site["base"] + "/forums/old-mill/")
    expected = located("old-mill").count()
    assert expected == 11
    assert markers(page, expected) == expected
    assert site["stub"].requests, "the map asked the configured tile server"
    assert page.locator(".leaflet-control-attribution").inner_text() == (
        "© OpenStreetMap contributors"
    )
    assert page.locator(".map-search-area").is_hidden()
    check_axe(page, "forum-map")
    shoot(page, "forum-map")

    page.set_viewport_size({"width": 1280, "height": 900})
    # Closer in, until the area leaves some proposals out.
    for _ in range(2):
        page.locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(400)
    page.locator(".map-search-area").click()
    page.wait_for_load_state()
    area = re.search(r"area=([-0-9.%C,]+)", page.url).group(1).replace("%2C", ",")
    south, west, north, east = geo.parse_bbox(area)
    inside = sorted(
        located("old-mill")
        .filter(
            latitude__gte=south,
            latitude__lte=north,
            longitude__gte=west,
            longitude__lte=east,
        )
        .values_list("title", flat=True)
    )
    assert 0 < len(inside) < expected
    shown = sorted(page.locator(".proposal-card h3").all_inner_texts())
    assert shown == inside
    assert page.get_by_text(
        "Showing the proposals placed in the map area."
    ).is_visible()


PAYLOADS = ['<img src=x onerror="window.pwned=1">', "<b>bold</b> & <i>x</i>"]


def test_marker_tooltips_show_titles_as_text(site, browser):  # noqa: F811
    """A proposal titled with markup shows that markup as text in its marker's
    tooltip on the forum and proposal maps: nothing of it runs or renders."""
    placed = list(located("old-mill").order_by("pk")[:2])
    for proposal, title in zip(placed, PAYLOADS, strict=True):
        Proposal.objects.filter(pk=proposal.pk).update(title=title)
    page = browser.new_context().new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for where in ("forum", "proposal"):
        if where == "proposal":
            page.goto(site["base"] + placed[0].get_absolute_url())
            count, expected = markers(page, 1), {PAYLOADS[0]}
        else:
            page.goto(site["base"] + "/forums/old-mill/")
            count = markers(page, located("old-mill").count())
            expected = set(PAYLOADS)
        shown = set()
        for i in range(count):
            page.locator(".map-marker").nth(i).hover(force=True)
            tooltip = page.locator(".leaflet-tooltip")
            tooltip.last.wait_for()
            shown.add(tooltip.last.inner_text())
            assert page.locator(".leaflet-tooltip img, .leaflet-tooltip b").count() == 0
            page.mouse.move(0, 0)
        assert expected <= shown, where
        assert page.evaluate("window.pwned === undefined")
    assert dialogs == []


def test_without_javascript_the_list_stays_and_no_empty_map(site, browser):  # noqa: F811
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(site["base"] + "/forums/old-mill/")
    assert page.locator("[data-map]").is_hidden()
    assert page.locator(".proposal-card").count() == 11


def test_the_results_map_marks_funded_and_unfunded_projects(site, browser):  # noqa: F811
    page = browser.new_context().new_page()
    page.goto(site["base"] + "/cycles/canal-side-2025/results/")
    assert markers(page, 7) == 7
    assert page.locator(".map-marker-funded").count() == 6
    assert page.locator(".map-marker-not_funded").count() == 1
    check_axe(page, "results-map")
    shoot(page, "results-map")


def test_a_resident_picks_the_spot_of_an_idea_on_the_map(site, browser):  # noqa: F811
    resident = User.objects.get(email="resident@example.org")
    page = voter_page(browser, resident, site["base"])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site["base"] + "/forums/old-mill/ideas/new/")
    page.locator(".map").wait_for()
    page.wait_for_timeout(500)
    check_axe(page, "idea-form-map")
    page.locator(".map").click()  # the middle of the map: inside Old Mill
    lat = float(page.input_value("#id_latitude"))
    lng = float(page.input_value("#id_longitude"))
    assert geo.contains(Place.objects.get(slug="old-mill").boundary, lng, lat)
    page.fill("#id_title", "Planters by the lock")
    page.fill("#id_summary", "Flowers at the lock gates")
    page.fill("#id_description", "Two big planters.")
    page.select_option("#id_category", label="Environment")
    shoot(page, "idea-form-map")
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_load_state()
    idea = Idea.objects.get(title="Planters by the lock")
    assert (round(idea.latitude, 6), round(idea.longitude, 6)) == (lat, lng)


def test_a_resident_votes_with_a_posted_code(site, browser):  # noqa: F811
    cycle = Cycle.objects.get(slug="old-mill-2026")
    officer = User.objects.get(email="officer@example.org")
    batch = voting_codes.generate(
        actor=officer, cycle=cycle, place=cycle.place, count=1
    )
    code = batch.codes.get().plain
    page = browser.new_context().new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site["base"] + f"/cycles/{cycle.slug}/")
    page.get_by_role("link", name="Vote with a code from your letter").click()
    check_axe(page, "code-start")
    shoot(page, "code-start")
    page.fill("#id_code", code.lower())
    page.get_by_role("button", name="Open my ballot").click()
    page.wait_for_url(re.compile(r"/code/ballot/$"))
    assert "You are voting with a posted code for Old Mill." in page.inner_text("main")
    check_axe(page, "code-ballot")
    shoot(page, "code-ballot")
    # Old Mill's budget ballot must spend at least half of its budget, within it.
    budget = int(page.get_attribute("fieldset.ballot-section", "data-budget"))
    boxes = page.locator(".ballot-item input[type=checkbox]")
    costs = sorted(
        (
            (int(boxes.nth(i).get_attribute("data-cost")), i)
            for i in range(boxes.count())
        ),
        reverse=True,
    )
    spent = 0
    for cost, i in costs:
        if spent + cost <= budget and spent < budget / 2:
            boxes.nth(i).check()
            spent += cost
    assert budget / 2 <= spent <= budget
    before = VoterRecord.objects.filter(cycle=cycle).count()
    page.get_by_role("button", name="Cast my vote").click()
    page.locator("#receipt-code").wait_for()
    assert re.fullmatch(
        r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", page.inner_text("#receipt-code")
    )
    assert VoterRecord.objects.filter(cycle=cycle).count() == before + 1
    assert (
        VoterRecord.objects.get(voting_code__code=VotingCode.digest(code)).user is None
    )


def test_the_proposal_gallery_and_card_pictures(site, browser):  # noqa: F811
    proposal = (
        Proposal.objects.filter(forum__slug="old-mill", status="shortlisted")
        .exclude(pictures=None)
        .first()
    )
    picture = proposal.pictures.get()
    page = browser.new_context().new_page()
    page.goto(site["base"] + proposal.get_absolute_url())
    lead = page.locator(".gallery-lead img")
    assert lead.get_attribute("alt") == picture.alt_text
    page.wait_for_function("document.querySelector('.gallery-lead img').complete")
    assert (
        page.evaluate("document.querySelector('.gallery-lead img').naturalWidth") == 960
    )
    assert markers(page, 1) == 1
    check_axe(page, "proposal-gallery")
    shoot(page, "proposal-gallery")


def test_officers_issue_codes_and_upload_boundaries_in_the_browser(site, browser):  # noqa: F811
    from allauth.mfa.models import Authenticator

    officer = User.objects.get(email="officer@example.org")
    Authenticator.objects.create(
        user=officer, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    page = voter_page(browser, officer, site["base"])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site["base"] + "/cycles/old-mill-2026/")
    page.get_by_role("link", name="Voting codes").click()
    page.select_option("#id_place", label="Old Mill")
    page.fill("#id_count", "8")
    page.get_by_role("button", name="Generate").click()
    page.get_by_text("Codes generated. Download them to print.").wait_for()
    check_axe(page, "voting-codes")
    shoot(page, "voting-codes")
    with page.expect_download() as download:
        page.get_by_role("button", name="Letters (PDF)").first.click()
    assert download.value.suggested_filename.endswith(".pdf")

    page.goto(site["base"] + "/places/old-mill/")
    page.get_by_role("link", name="Map boundaries").click()
    page.wait_for_url("**/admin/work/places/old-mill/boundaries/")
    check_axe(page, "boundaries")
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "old-mill.geojson",
                "mimeType": "application/geo+json",
                "buffer": b'{"type": "Polygon", "coordinates": [[[-1.8, 54.0], '
                b"[-1.7, 54.0], [-1.7, 54.1], [-1.8, 54.1], [-1.8, 54.0]]]}",
            }
        ],
    )
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("Boundaries saved for Old Mill.").wait_for()
    shoot(page, "boundaries")
    assert Place.objects.get(slug="old-mill").boundary["coordinates"][0][1] == [
        -1.7,
        54.0,
    ]


def test_residents_compare_two_proposals_and_print_one(site, browser):  # noqa: F811
    first, second = located("old-mill").order_by("title")[:2]
    page = browser.new_context().new_page()
    page.goto(site["base"] + first.get_absolute_url())
    page.get_by_role("link", name="Compare with another proposal").click()
    page.select_option("#id_b", value=str(second.pk))
    page.get_by_role("button", name="Compare").click()
    headers = page.locator(".compare-table thead th").all_inner_texts()
    assert headers == [first.title, second.title]
    check_axe(page, "compare")
    shoot(page, "compare")
    pdf = page.request.get(site["base"] + f"/forums/old-mill/proposals/{first.pk}.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
