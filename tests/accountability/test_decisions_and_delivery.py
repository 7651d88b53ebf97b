"""Decisions: immutability and amendment, permissions, notices and emails; delivery:
who paid (never more than contributions, ring-fences honoured) and who benefits; the
money report."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accountability.delivery import (
    benefit_record,
    funding_set,
    funding_suggest,
    milestone_post,
)
from accountability.models import Decision, FundingAttribution
from accountability.services import decision_publish, decision_save
from civic.models import AuditEntry, Category, PlaceKind, PublicBody, RoleKind
from forums.models import Follow, Forum, Proposal, ProposalStatus
from tests.admin_answers import refused_by_the_admin, sent_to_admin_sign_in
from tests.factories import (
    BudgetFactory,
    ContributionFactory,
    UserFactory,
    grant,
    make_place,
)


@pytest.fixture
def town(db, settings):
    settings.NB_DEMO_MFA_EXEMPT = True
    county = make_place("Shire", PlaceKind.COUNTY)
    hood = make_place("Lane End", PlaceKind.NEIGHBOURHOOD, county)
    far = make_place("Far", PlaceKind.COUNTY)
    for p in (county, hood, far):
        p.refresh_from_db()
    council, nhs = (
        PublicBody.objects.create(name="Council", slug="council", kind="council"),
        PublicBody.objects.create(name="NHS", slug="nhs", kind="nhs"),
    )
    health, roads = (
        Category.objects.create(name="Health", slug="health"),
        Category.objects.create(name="Roads", slug="roads"),
    )
    budget = BudgetFactory(place=hood)
    c_council = ContributionFactory(budget=budget, body=council, amount_pence=10000_00)
    c_nhs = ContributionFactory(
        budget=budget,
        body=nhs,
        amount_pence=5000_00,
        ring_fence_category=health,
        ring_fenced_pence=4000_00,
    )
    forum = Forum.objects.create(place=hood, name="Lane End forum", slug="lane-end")
    clinic = Proposal.objects.create(
        forum=forum,
        title="Clinic garden",
        summary="s",
        description="d",
        category=health,
        cost_pence=6000_00,
        status=ProposalStatus.FUNDED,
    )
    road = Proposal.objects.create(
        forum=forum,
        title="Road crossing",
        summary="s",
        description="d",
        category=roads,
        cost_pence=9000_00,
        status=ProposalStatus.FUNDED,
    )
    councillor, other_cllr, officer, resident = (
        UserFactory(is_demo=True) for _ in range(4)
    )
    grant(councillor, county, RoleKind.COUNCILLOR)
    grant(officer, county, RoleKind.OFFICER)
    grant(resident, hood, RoleKind.RESIDENT)
    grant(other_cllr, far, RoleKind.COUNCILLOR)
    Follow.objects.create(forum=forum, user=resident)
    return locals()


def draft(t, **kw):
    data = {
        "kind": "approve_funded",
        "title": "Approve list",
        "text": "Approved.",
        "reasons": "Fair count.",
        "conflicts": "",
        "decided_on": dt.date(2026, 11, 1),
        "cycle": None,
    }
    data.update(kw)
    return decision_save(
        actor=t["councillor"],
        place=t["hood"],
        data=data,
        votes=[(t["councillor"], "for", "")],
        proposals=[t["clinic"]],
    )


def test_published_decision_is_immutable_and_amendments_show_both(
    town, django_capture_on_commit_callbacks, client
):
    d = draft(town)
    with django_capture_on_commit_callbacks(execute=True):
        decision_publish(actor=town["councillor"], decision=d)
    d.refresh_from_db()
    assert d.reference.startswith("D-2026-")
    d.title = "Changed"
    with pytest.raises(ValidationError):
        d.save()
    with pytest.raises(ValidationError, match="cannot be changed"):
        decision_save(
            actor=town["councillor"],
            place=town["hood"],
            data={"title": "x"},
            votes=[(town["councillor"], "for", "")],
            decision=d,
        )
    fix = decision_save(
        actor=town["councillor"],
        place=town["hood"],
        amends=d,
        data={
            "kind": "amend",
            "title": "Correction",
            "text": "Clinic only.",
            "reasons": "Typo.",
            "conflicts": "",
            "decided_on": dt.date(2026, 11, 2),
            "cycle": None,
        },
        votes=[(town["councillor"], "for", "")],
    )
    decision_publish(actor=town["councillor"], decision=fix)
    original = client.get(
        reverse("accountability:decision", args=[d.pk])
    ).content.decode()
    assert (
        "Amended by" in original
        and fix.reference in Decision.objects.get(pk=fix.pk).reference
    )
    amendment = client.get(
        reverse("accountability:decision", args=[fix.pk])
    ).content.decode()
    assert f"amends {d.reference}" in amendment
    assert [m.to for m in mail.outbox] == [[town["resident"].email]]
    assert "Approve list" in mail.outbox[0].subject and mail.outbox[0].alternatives
    assert AuditEntry.objects.filter(action="decision.publish").count() == 2


def test_only_councillors_of_the_place_vote_and_decide(town, client):
    with pytest.raises(ValidationError, match="is not a councillor"):
        decision_save(
            actor=town["councillor"],
            place=town["hood"],
            data={
                "kind": "other",
                "title": "t",
                "text": "t",
                "reasons": "r",
                "conflicts": "",
                "decided_on": dt.date(2026, 1, 1),
                "cycle": None,
            },
            votes=[(town["other_cllr"], "for", "")],
        )
    url = reverse("work:decision_new", args=["lane-end"])
    client.force_login(town["resident"])  # no staff role: not in the back office
    sent_to_admin_sign_in(client.get(url), url)
    for who in ("officer", "other_cllr"):
        client.force_login(town[who])
        refused_by_the_admin(client.get(url))
    client.force_login(town["councillor"])
    assert client.get(url).status_code == 200
    client.logout()
    sent_to_admin_sign_in(client.get(url), url)


def test_drafts_are_private_and_notices_public(town, client):
    d = draft(town)
    assert (
        client.get(reverse("accountability:decision", args=[d.pk])).status_code == 302
    )
    client.force_login(town["resident"])
    assert (
        client.get(reverse("accountability:decision", args=[d.pk])).status_code == 403
    )
    decision_publish(actor=town["councillor"], decision=d)
    client.logout()
    page = client.get(reverse("accountability:decision", args=[d.pk])).content.decode()
    assert "Fair count." in page and "Clinic garden" in page
    printable = client.get(
        reverse("accountability:decision_print", args=[d.pk])
    ).content.decode()
    assert (
        "print.css" in printable
        and d.__class__.objects.get(pk=d.pk).reference in printable
    )
    proposal_page = client.get(town["clinic"].get_absolute_url()).content.decode()
    assert "Approve list" in proposal_page
    place_page = client.get(town["hood"].get_absolute_url()).content.decode()
    assert "Approve list" in place_page


def test_ring_fenced_money_only_pays_for_its_category(town):
    t = town
    with pytest.raises(ValidationError, match="ring-fenced for Health"):
        funding_set(
            actor=t["officer"], proposal=t["road"], allocations={t["c_nhs"].pk: 2000_00}
        )
    funding_set(
        actor=t["officer"],
        proposal=t["road"],
        allocations={t["c_nhs"].pk: 1000_00, t["c_council"].pk: 8000_00},
    )
    with pytest.raises(ValidationError, match="has £2,000 left"):
        funding_set(
            actor=t["officer"],
            proposal=t["clinic"],
            allocations={t["c_council"].pk: 3000_00},
        )
    with pytest.raises(ValidationError, match="more than the project's cost"):
        funding_set(
            actor=t["officer"],
            proposal=t["clinic"],
            allocations={t["c_nhs"].pk: 4000_00, t["c_council"].pk: 2000_00 + 1},
        )
    assert FundingAttribution.objects.filter(proposal=t["clinic"]).count() == 0


def test_suggested_split_honours_ring_fences_and_never_exceeds_contributions(town):
    t = town
    clinic_plan = funding_suggest(t["clinic"])
    assert clinic_plan[t["c_nhs"].pk] == 5000_00  # ring-fenced money first
    funding_set(actor=t["officer"], proposal=t["clinic"], allocations=clinic_plan)
    road_plan = funding_suggest(t["road"])
    assert t["c_nhs"].pk not in road_plan  # the NHS money is used up
    funding_set(actor=t["officer"], proposal=t["road"], allocations=road_plan)
    for c in (t["c_council"], t["c_nhs"]):
        used = sum(
            FundingAttribution.objects.filter(contribution=c).values_list(
                "amount_pence", flat=True
            )
        )
        assert used <= c.amount_pence


def test_milestones_start_delivery_and_show_late(town, client):
    t = town
    milestone_post(
        actor=t["officer"],
        proposal=t["clinic"],
        data={"title": "Dig", "planned_date": dt.date(2020, 1, 1), "percent_done": 10},
    )
    t["clinic"].refresh_from_db()
    assert t["clinic"].status == ProposalStatus.IN_DELIVERY
    page = client.get(t["hood"].get_absolute_url()).content.decode()
    assert "What your budget paid for" in page and "1 running late" in page
    with pytest.raises(ValidationError):
        milestone_post(
            actor=t["officer"],
            proposal=t["clinic"],
            data={
                "title": "Bad",
                "planned_date": dt.date(2026, 1, 1),
                "percent_done": 150,
            },
        )


def test_delivery_page_permissions(town, client):
    url = reverse("accountability:delivery", args=["lane-end", town["clinic"].pk])
    client.force_login(town["resident"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "suggest"})
    assert response.status_code == 403 and not FundingAttribution.objects.exists()
    client.force_login(town["officer"])
    assert client.post(url, {"action": "suggest"}).status_code == 302
    assert FundingAttribution.objects.filter(proposal=town["clinic"]).exists()


def test_money_report_tables_and_csv(town, client):
    t = town
    funding_set(
        actor=t["officer"],
        proposal=t["clinic"],
        allocations=funding_suggest(t["clinic"]),
    )
    benefit_record(
        actor=t["officer"],
        proposal=t["clinic"],
        body=t["nhs"],
        note="Fewer GP visits",
        value_pence=700_00,
    )
    page = client.get(reverse("accountability:report", args=["shire"]))
    html = page.content.decode()
    assert (
        page.status_code == 200
        and "<svg" in html
        and "£10,000" in html
        and "£6,000" in html
        and "Health" in html
    )
    csv_text = client.get(
        reverse("accountability:report", args=["shire"]), {"format": "csv"}
    ).content.decode()
    assert (
        "money_in,Council,1000000" in csv_text
        and "by_category,Health,600000" in csv_text
        and "benefits,NHS,70000" in csv_text
    )
    bad = client.get(
        reverse("accountability:report", args=["shire"]), {"from": "yesterday"}
    )
    assert bad.status_code == 302


def test_a_project_is_delivered_when_its_last_milestone_completes_it(town, client):
    t = town
    client.force_login(t["officer"])
    page_url = reverse("accountability:delivery", args=["lane-end", t["clinic"].pk])
    url = reverse("work:milestone", args=[t["clinic"].pk])
    assert url in client.get(page_url).content.decode()  # the page's button
    client.post(
        url, {"title": "Beds built", "planned_date": "2026-10-01", "percent_done": "60"}
    )
    page = client.get(page_url).content.decode()
    assert "60% done" in page
    # Completing needs 100%: refused, with the reason, and nothing stored.
    refused = client.post(
        url,
        {
            "title": "Opened",
            "planned_date": "2026-11-01",
            "percent_done": "90",
            "completes": "on",
        },
    )
    assert "A project is delivered when its last milestone is at 100%." in (
        refused.content.decode()
    )
    t["clinic"].refresh_from_db()
    assert t["clinic"].status == ProposalStatus.IN_DELIVERY
    assert t["clinic"].milestones.count() == 1
    client.post(
        url,
        {
            "title": "Opened",
            "planned_date": "2026-11-01",
            "percent_done": "100",
            "completes": "on",
        },
    )
    t["clinic"].refresh_from_db()
    assert t["clinic"].status == ProposalStatus.DELIVERED
    place = client.get(t["hood"].get_absolute_url()).content.decode()
    assert "£15,000 on 2 projects: 1 delivered, 0 running late." in place
    assert "100% done" in place


def test_a_decision_to_fund_outside_the_vote_funds_the_proposal(town):
    t = town
    bench = Proposal.objects.create(
        forum=t["forum"],
        title="Bench by the pond",
        summary="s",
        description="d",
        category=t["roads"],
        cost_pence=800_00,
        status=ProposalStatus.NOT_FUNDED,
    )
    decision = decision_save(
        actor=t["councillor"],
        place=t["hood"],
        data={
            "kind": "fund_outside_vote",
            "title": "Fund the pond bench",
            "text": "Funded from the council's contribution.",
            "reasons": "Cheap and asked for by many.",
            "conflicts": "",
            "decided_on": dt.date(2026, 11, 1),
            "cycle": None,
        },
        votes=[(t["councillor"], "for", "")],
        proposals=[bench],
    )
    bench.refresh_from_db()
    assert bench.status == ProposalStatus.NOT_FUNDED  # a draft decides nothing
    decision_publish(actor=t["councillor"], decision=decision)
    bench.refresh_from_db()
    assert bench.status == ProposalStatus.FUNDED
    assert bench.transitions.last().reason == (
        f"Funded by decision {Decision.objects.get().reference}"
    )


def test_the_money_report_csv_never_carries_a_formula(town, client):
    """A body or category named like a spreadsheet formula is written as text."""
    t = town
    PublicBody.objects.filter(pk=t["council"].pk).update(
        name='=HYPERLINK("http://evil.example","x")'
    )
    csv_text = client.get(
        reverse("accountability:report", args=["shire"]), {"format": "csv"}
    ).content.decode()
    assert 'money_in,"\'=HYPERLINK(""http://evil.example"",""x"")",1000000' in (
        csv_text
    )
    assert ",=" not in csv_text


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(start):
    from civic.spreadsheets import cell

    assert cell(f"{start}SUM(A1)") == f"'{start}SUM(A1)"
    assert cell("Health & care") == "Health & care"
    assert cell(-5) == -5  # numbers stay numbers
