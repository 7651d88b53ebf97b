"""The Community Infrastructure Levy's neighbourhood portion: the arithmetic of
regulation 59A, receipts recorded in the back office, CIL contributions held to their
receipt, what residents see and the Infrastructure Funding Statement report."""

import csv
import datetime as dt
import io

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse

from civic import cil
from civic.models import AuditEntry, CilReceipt, Contribution, PlaceKind, RoleKind
from civic.services import cil_receipt_save
from tests.admin_answers import refused_by_the_admin
from tests.factories import BodyFactory, BudgetFactory, UserFactory, grant, make_place

pytestmark = pytest.mark.django_db

FIRST, SECOND = cil.FIRST_HALF, cil.SECOND_HALF


def receipt(half, received, dwellings=100, plan=False):
    return cil.Receipt(half, received, dwellings, plan)


# The arithmetic (no database).


def test_with_a_neighbourhood_plan_the_portion_is_a_quarter_uncapped():
    [found] = cil.portions([receipt(FIRST, 1_000_000_00, dwellings=10, plan=True)])
    assert (found.percent, found.portion_pence, found.cap_left_pence) == (
        25,
        250_000_00,
        None,
    )
    assert not found.capped


def test_without_a_plan_it_is_fifteen_percent_under_the_cap():
    # 100 homes: a cap of £10,000 a year; 15% of £50,000 is £7,500.
    [found] = cil.portions([receipt(FIRST, 50_000_00)])
    assert (found.percent, found.portion_pence, found.capped) == (15, 7_500_00, False)


def test_the_cap_is_100_pounds_a_dwelling():
    # 15% of £100,000 is £15,000, over the cap of 100 × £100.
    [found] = cil.portions([receipt(FIRST, 100_000_00)])
    assert (found.before_cap_pence, found.portion_pence, found.capped) == (
        15_000_00,
        10_000_00,
        True,
    )


def test_the_two_halves_of_a_year_share_its_cap_first_half_first():
    # £7,500 in April–September leaves £2,500 of the £10,000 cap for October–March,
    # whichever order they are given in.
    second, first = cil.portions(
        [receipt(SECOND, 50_000_00), receipt(FIRST, 50_000_00)]
    )
    assert (first.portion_pence, second.portion_pence) == (7_500_00, 2_500_00)
    assert second.cap_left_pence == 2_500_00 and second.capped


def test_a_plan_made_in_the_year_lifts_the_cap_from_then():
    first, second = cil.portions(
        [receipt(FIRST, 100_000_00), receipt(SECOND, 100_000_00, plan=True)]
    )
    assert (first.portion_pence, second.portion_pence) == (10_000_00, 25_000_00)


def test_part_pennies_are_rounded_down():
    [found] = cil.portions([receipt(FIRST, 333, dwellings=100)])
    assert found.portion_pence == 49  # 15% of £3.33 is 49.95p


@pytest.mark.parametrize(
    "day,year,half",
    [
        (dt.date(2026, 4, 1), 2026, FIRST),
        (dt.date(2026, 9, 30), 2026, FIRST),
        (dt.date(2026, 10, 1), 2026, SECOND),
        (dt.date(2027, 3, 31), 2026, SECOND),
    ],
)
def test_financial_years_and_halves(day, year, half):
    assert (cil.financial_year(day), cil.half_of(day)) == (year, half)


# Receipts, contributions and pages.


@pytest.fixture
def area(settings):
    settings.NB_DEMO_MFA_EXEMPT = True
    district = make_place("Eastbrook", PlaceKind.DISTRICT)
    ward = make_place("Millbrook", PlaceKind.WARD, district)
    ward.refresh_from_db()
    canal = make_place("Canal Side", PlaceKind.NEIGHBOURHOOD, ward)
    ward.refresh_from_db()
    mill = make_place("Old Mill", PlaceKind.NEIGHBOURHOOD, ward)
    officer = UserFactory(is_demo=True)
    grant(officer, district, RoleKind.OFFICER)
    return {
        "district": district,
        "ward": ward,
        "canal": canal,
        "mill": mill,
        "officer": officer,
        "council": BodyFactory(name="Eastbrook District Council", slug="edc"),
        "nhs": BodyFactory(name="NHS", slug="nhs", kind="nhs"),
    }


def record(area, half, received, **fields):
    return cil_receipt_save(
        CilReceipt(
            place=fields.pop("place", area["canal"]),
            charging_authority=area["council"],
            financial_year=2026,
            half=half,
            receipts_pence=received,
            dwellings=fields.pop("dwellings", 100),
            **fields,
        )
    )


def test_saving_a_receipt_works_out_its_year_again(area):
    second = record(area, SECOND, 50_000_00)
    assert second.portion_pence == 7_500_00
    record(area, FIRST, 50_000_00)
    second.refresh_from_db()
    # The first half took £7,500 of the £10,000 cap.
    assert second.portion_pence == 2_500_00


def test_a_portion_cannot_fall_below_what_budgets_hold_and_nothing_is_saved(area):
    second = record(area, SECOND, 50_000_00)
    budget = BudgetFactory(place=area["canal"])
    Contribution.objects.create(
        budget=budget, body=area["council"], cil_receipt=second, amount_pence=5_000_00
    )
    with pytest.raises(ValidationError) as refused:
        record(area, FIRST, 50_000_00)
    assert refused.value.messages == [
        "The neighbourhood portion of CIL from Canal Side, October to March 2026/27 "
        "would be £2,500, but budgets already hold £5,000 of it: take it out of those "
        "budgets first."
    ]
    assert list(CilReceipt.objects.values_list("half", "portion_pence")) == [
        (SECOND, 7_500_00)
    ]


def test_one_receipt_per_area_and_half_year(area):
    record(area, FIRST, 10_000_00)
    with pytest.raises(ValidationError) as refused:
        record(area, FIRST, 20_000_00)
    assert refused.value.messages == [
        "This area already has its CIL for that half-year: change that one."
    ]


def contribution(area, receipt, amount, place=None, body=None):
    return Contribution(
        budget=BudgetFactory(place=place or area["canal"]),
        body=body or area["council"],
        cil_receipt=receipt,
        amount_pence=amount,
    )


def test_a_cil_contribution_is_held_to_its_receipt(area):
    found = record(area, FIRST, 100_000_00)  # portion £10,000 (capped)
    contribution(area, found, 6_000_00).save()
    contribution(area, found, 4_000_00).full_clean()  # the rest: accepted
    with pytest.raises(ValidationError) as refused:
        contribution(area, found, 4_000_01).full_clean()
    assert refused.value.message_dict["amount_pence"] == [
        "The neighbourhood portion from this receipt is £10,000, and £4,000 of it is "
        "not yet in a budget."
    ]
    with pytest.raises(ValidationError) as refused:
        contribution(area, found, 1_000_00, body=area["nhs"]).full_clean()
    assert refused.value.message_dict["body"] == [
        "CIL is passed on by the charging authority, Eastbrook District Council."
    ]
    with pytest.raises(ValidationError) as refused:
        contribution(area, found, 1_000_00, place=area["mill"]).full_clean()
    assert refused.value.message_dict["cil_receipt"] == [
        "The neighbourhood portion from Canal Side is spent in Canal Side: this "
        "budget is for Old Mill."
    ]


def test_an_officer_records_a_receipt_in_the_back_office(area, client):
    client.force_login(area["officer"])
    response = client.post(
        reverse("wagtailsnippets_civic_cilreceipt:add"),
        {
            "place": area["canal"].pk,
            "charging_authority": area["council"].pk,
            "financial_year": "2026",
            "half": "1",
            "receipts_pence": "180000",  # typed in pounds
            "dwellings": "160",
            "developments": "24/01877/FUL",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = CilReceipt.objects.get()
    assert (saved.receipts_pence, saved.portion_pence) == (180_000_00, 16_000_00)
    assert AuditEntry.objects.filter(action="admin.create").exists()


def test_a_receipt_that_would_strand_budgeted_money_is_refused_on_the_form(
    area, client
):
    second = record(area, SECOND, 50_000_00)
    Contribution.objects.create(
        budget=BudgetFactory(place=area["canal"]),
        body=area["council"],
        cil_receipt=second,
        amount_pence=5_000_00,
    )
    client.force_login(area["officer"])
    response = client.post(
        reverse("wagtailsnippets_civic_cilreceipt:add"),
        {
            "place": area["canal"].pk,
            "charging_authority": area["council"].pk,
            "financial_year": "2026",
            "half": "1",
            "receipts_pence": "50000",
            "dwellings": "100",
            "developments": "",
        },
    )
    assert response.status_code == 200
    assert "budgets already hold £5,000 of it" in response.content.decode()
    assert CilReceipt.objects.count() == 1


def test_residents_see_where_the_cil_came_from(area, client):
    found = record(area, FIRST, 180_000_00, dwellings=160)
    budget = BudgetFactory(place=area["canal"], name="Canal Side 2026/27")
    Contribution.objects.create(
        budget=budget, body=area["council"], cil_receipt=found, amount_pence=12_000_00
    )
    page = BeautifulSoup(
        client.get(reverse("civic:place", args=[area["canal"].slug])).content,
        "html.parser",
    )
    text = " ".join(page.get_text(" ").split())
    assert (
        "£12,000 from the Community Infrastructure Levy that developers paid for "
        "building in Canal Side (April to September 2026/27): 15% of £180,000, capped "
        "at £100 a year for each of 160 homes (£16,000 of the year's cap left)"
    ) in text
    api = client.get(f"/api/v1/places/{area['canal'].slug}").json()
    [given] = api["budget"]["contributions"]
    assert given["kind"] == "cil"
    assert given["cil"] == {
        "area": "canal-side",
        "financial_year": "2026/27",
        "half_year": "April to September",
        "cil_received_pence": 180_000_00,
        "neighbourhood_portion_pence": 16_000_00,
    }


def test_the_infrastructure_funding_statement_report(area, client):
    parish = make_place("Hillcrest", PlaceKind.PARISH, area["district"])
    parish.gss_code = "E04000001"
    parish.save()
    first = record(area, FIRST, 50_000_00, developments="=HYPERLINK(1)")
    record(area, SECOND, 50_000_00)
    record(area, FIRST, 40_000_00, place=parish, neighbourhood_plan=True, dwellings=9)
    Contribution.objects.create(
        budget=BudgetFactory(place=area["canal"], name="Canal Side 2026/27"),
        body=area["council"],
        cil_receipt=first,
        amount_pence=7_000_00,
    )
    client.force_login(area["officer"])
    url = reverse("work:cil", args=[area["district"].slug])
    page = client.get(url, {"year": "2026"})
    assert page.status_code == 200
    assert "Total" in page.content.decode()
    response = client.get(url, {"year": "2026", "format": "csv"})
    assert response["Content-Disposition"] == (
        'attachment; filename="cil-eastbrook-2026-27.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [
        (
            r["area"],
            r["gss_code"],
            r["half_year"],
            r["developments"],
            r["cil_received_pence"],
            r["percent"],
            r["capped"],
            r["neighbourhood_portion_pence"],
            r["passed_to"],
            r["in_budgets_pence"],
            r["budgets"],
            r["not_yet_in_a_budget_pence"],
        )
        for r in rows
    ] == [  # in the place tree's order (Hillcrest before Millbrook), halves in order
        (
            "Hillcrest", "E04000001", "April to September", "", "4000000", "25",
            "no", "1000000", "Paid to the parish council", "0", "", "1000000",
        ),
        (
            "Canal Side", "", "April to September", "'=HYPERLINK(1)", "5000000",
            "15", "no", "750000", "Spent by the charging authority with the community",
            "700000", "Canal Side 2026/27", "50000",
        ),
        (
            "Canal Side", "", "October to March", "", "5000000", "15", "yes",
            "250000", "Spent by the charging authority with the community", "0", "",
            "250000",
        ),
    ]  # fmt: skip


def test_only_officers_of_the_place_see_the_cil_report(area, client):
    organiser = UserFactory(is_demo=True)
    grant(organiser, area["canal"], RoleKind.ORGANISER)
    client.force_login(organiser)
    refused_by_the_admin(client.get(reverse("work:cil", args=[area["district"].slug])))
