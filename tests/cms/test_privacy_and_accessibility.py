"""The privacy notice and the accessibility statement (#28, item 23): written once for
the platform's real processing, in the ICO's and GOV.UK's sections, naming the council
from its details (Settings → Council details), which only a council officer may edit."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags
from wagtail.models import Site

from civic.models import PlaceKind, RoleKind
from cms.models import CouncilDetails, StandardPage
from tests.factories import UserFactory, grant, make_place

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(home_page, settings):
    """The privacy and accessibility pages (each one block), the council's details,
    and an officer of the county and of one area in it."""
    settings.NB_DEMO_MFA_EXEMPT = True
    for slug, title, block in (
        ("privacy", "Privacy", "privacy_notice"),
        ("accessibility", "Accessibility statement", "accessibility_statement"),
    ):
        home_page.add_child(
            instance=StandardPage(title=title, slug=slug, body=[(block, None)])
        )
        home_page.refresh_from_db()
    details = CouncilDetails.objects.create(
        site=Site.objects.get(is_default_site=True),
        council_name="Shire County Council",
        ico_registration="Z0000000",
        data_protection_email="dpo@shire.example.org",
        contact_email="access@shire.example.org",
        contact_phone="01234 567890",
        compliance="partial",
        known_issues="<ul><li>Old notices are scanned PDFs without tagged text.</li></ul>",
        statement_prepared=dt.date(2026, 9, 1),
        last_tested=dt.date(2026, 11, 15),
    )
    county = make_place("Shire", PlaceKind.COUNTY)
    area = make_place("Mill End", PlaceKind.NEIGHBOURHOOD, county)
    officers = {"county": UserFactory(is_demo=True), "area": UserFactory(is_demo=True)}
    grant(officers["county"], county, RoleKind.OFFICER)
    grant(officers["area"], area, RoleKind.OFFICER)
    return {"details": details, **officers}


def text(response):
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    return re.sub(r"\s+", " ", strip_tags(main)).replace("&#x27;", "'")


def test_privacy_notice_names_controller_basis_retention_and_the_secret_ballot(
    client, council
):
    page = text(client.get("/privacy/"))
    assert (
        "Shire County Council is the data controller for Neighbourhood Budgets" in page
    )
    assert "number Z0000000" in page and "dpo@shire.example.org" in page
    assert "Public task, Article 6(1)(e)" in page and "Consent, Article 6(1)(a)" in page
    assert "6 years after the results are published" in page
    assert "Your sign-in session: 14 days without a visit." in page
    assert "the register records that you voted, never how" in page
    assert "ico.org.uk/make-a-complaint" in page


def test_accessibility_statement_follows_the_govuk_model(client, council):
    page = text(client.get("/accessibility/"))
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "Compliance status",
        "Preparation of this accessibility statement",
    ):
        assert heading in page
    assert (
        "This website is partially compliant with the Web Content Accessibility" in page
    )
    assert "scanned PDFs without tagged text" in page  # the council's known issue
    assert "access@shire.example.org" in page and "01234 567890" in page
    assert "This statement was prepared on 1 September 2026." in page
    assert "last tested on 15 November 2026" in page


def test_the_texts_follow_the_council_details(client, council):
    details = CouncilDetails.for_site(Site.objects.get(is_default_site=True))
    details.council_name = "Riverside Borough Council"
    details.vote_records_years = 1
    details.compliance = "full"
    details.known_issues = ""
    details.statement_reviewed = dt.date(2026, 12, 1)
    details.tested_by = "the Digital Accessibility Centre"
    details.save()
    privacy = text(client.get("/privacy/"))
    assert "Riverside Borough Council is the data controller" in privacy
    assert "1 year after the results are published" in privacy
    statement = text(client.get("/accessibility/"))
    assert "This website is fully compliant with" in statement
    assert (
        "We do not know of any part of this website that is not accessible" in statement
    )
    assert "last reviewed on 1 December 2026" in statement
    assert "Shire County Council" not in statement


def test_in_welsh(client, page_world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    privacy = text(client.get("/privacy/"))
    assert "Shire County Council yw'r rheolydd data" in privacy
    assert "Mae eich pleidlais yn gyfrinachol" in privacy
    assert "Tasg gyhoeddus, Erthygl 6(1)(e)" in privacy
    statement = text(client.get("/accessibility/"))
    assert "Mae'r wefan hon yn cydymffurfio'n rhannol â safon AA" in statement
    assert "1 Medi 2026" in statement


def test_only_a_council_officer_edits_the_details(client, council):
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["cms", "councildetails", site.pk])
    county_officer = council["county"]
    client.force_login(county_officer)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "council_name": "Shire Council",
            "address": "",
            "ico_registration": "Z0000001",
            "data_protection_email": "",
            "contact_email": "",
            "contact_phone": "",
            "response_days": "5",
            "vote_records_years": "6",
            "compliance": "partial",
            "statement_prepared": "",
            "statement_reviewed": "",
            "last_tested": "",
            "tested_by": "",
        },
    )
    assert response.status_code == 302
    assert CouncilDetails.objects.get().council_name == "Shire Council"
    # An officer of one neighbourhood runs that area, not the council's notices.
    area_officer = council["area"]
    client.force_login(area_officer)
    assert (
        client.get(url).status_code == 302
    )  # Wagtail: "no permission", to the dashboard
    assert not area_officer.has_perm("cms.change_councildetails")
    assert county_officer.has_perm("cms.change_councildetails")
