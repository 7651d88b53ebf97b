"""Each back-office action works through the Wagtail admin ("Your work"), asks the same
permission module as the public pages, and refuses bad input with a message while
storing nothing."""

import pytest
from django.urls import reverse

from accountability.models import Decision, Milestone
from ballots.models import Cycle, Tally, VoterRecord
from ballots.selectors import ballot_sections
from civic.models import AuditEntry, FrameworkRules, Place, RoleKind, User
from forums.models import (
    Comment,
    Forum,
    Idea,
    IdeaStatus,
    Membership,
    Proposal,
    Report,
    VerificationCodeBatch,
)
from forums.services import comment_post, residency_codes
from tests.admin_answers import refused_by_the_admin, sent_to_admin_sign_in
from tests.ballots import box
from tests.ballots.conftest import _no_frozen_cache, vote_world  # noqa: F401
from tests.factories import (
    CycleFactory,
    DecisionFactory,
    ForumFactory,
    ProposalFactory,
    UserFactory,
    grant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(vote_world, settings):  # noqa: F811
    """vote_world (Shire; Lane End, its forum, organiser and residents; a cycle with
    four shortlisted proposals) with what the back office works on: a lock on the
    county's rules, Lane End's own rules, an idea waiting, a proposal under review, a
    comment, a funded proposal, a published decision, a councillor, a closed earlier
    cycle, the vote open, and a second forum in Zed Town."""
    w = vote_world
    settings.NB_DEMO_MFA_EXEMPT = True
    county, hood = w["county"], w["hood"]
    FrameworkRules.objects.filter(place=county).update(locked_fields=["min_age"])
    FrameworkRules.objects.create(place=hood, max_choices=3)
    resident = w["voters"][0]
    category = w["proposals"][0].category
    Idea.objects.create(
        forum=w["forum"],
        author=resident,
        title="Benches by the pond",
        summary="s",
        description="d",
        category=category,
    )
    ProposalFactory(forum=w["forum"], category=category, status="under_review")
    comment_post(author=resident, thread=w["proposals"][0], body="A fair point.")
    ProposalFactory(forum=w["forum"], category=category, status="funded")
    councillor = UserFactory(is_demo=True)
    grant(councillor, county, RoleKind.COUNCILLOR)
    DecisionFactory(place=hood, created_by=councillor)
    CycleFactory(
        place=hood, slug="lane-end-2025", name="Lane End 2025", phase="results"
    )
    ForumFactory(place=w["other"])
    w["open"]()
    admin = UserFactory(is_superuser=True, is_staff=True)
    return {
        "organiser": w["organiser"],
        "councillor": councillor,
        "officer": w["officer"],
        "resident": resident,
        "admin": admin,
        "cycle": w["cycle"],
    }


@pytest.fixture
def outsider_organiser(site):
    """An organiser of Zed Town only: none of Lane End's work is theirs."""
    user = UserFactory(is_demo=True)
    grant(user, Place.objects.get(slug="zed-town"), RoleKind.ORGANISER)
    return user


def _errors(response) -> str:
    return response.content.decode()


def test_work_hub_lists_only_the_users_own_work(client, site, outsider_organiser):
    client.force_login(site["organiser"])
    page = client.get(reverse("work:index")).content.decode()
    assert "Lane End forum" in page and "Zed Town forum" not in page
    assert reverse("work:members", args=["lane-end"]) in page
    assert reverse("work:rules", args=["lane-end"]) not in page  # officers only
    client.force_login(outsider_organiser)
    page = client.get(reverse("work:index")).content.decode()
    assert "Lane End forum" not in page
    client.force_login(site["resident"])
    sent_to_admin_sign_in(client.get(reverse("work:index")), reverse("work:index"))


def _waiting_idea() -> Idea:
    """A Lane End idea waiting for review."""
    return Idea.objects.filter(
        forum__slug="lane-end", status=IdeaStatus.SUBMITTED
    ).first()


def test_idea_review_in_the_admin(client, site, outsider_organiser):
    idea = _waiting_idea()
    url = reverse("work:idea_review", args=[idea.pk])
    client.force_login(outsider_organiser)
    refused_by_the_admin(client.get(url))
    refused_by_the_admin(client.post(url, {"action": "accept", "cost": "1500"}))
    client.force_login(site["organiser"])
    assert client.get(url).status_code == 200
    missing_cost = client.post(url, {"action": "accept"})
    assert missing_cost.status_code == 400
    assert "Give the official cost estimate." in _errors(missing_cost)
    idea.refresh_from_db()
    assert idea.status == "submitted" and not Proposal.objects.filter(idea=idea)
    done = client.post(
        url, {"action": "accept", "cost": "1800", "feasibility_note": "Checked."}
    )
    assert done.status_code == 302
    proposal = Proposal.objects.get(idea=idea)
    assert proposal.cost_pence == 180000
    idea.refresh_from_db()
    assert idea.status == "accepted"
    # Already reviewed: the service refuses and says so.
    again = client.post(url, {"action": "reject", "note": "No"})
    assert again.status_code == 400 and "already been reviewed" in _errors(again)


def test_proposal_publishing_in_the_admin(client, site):
    proposal = Proposal.objects.get(status="under_review", forum__slug="lane-end")
    url = reverse("work:proposal_status", args=[proposal.pk])
    client.force_login(site["organiser"])
    page = client.get(url).content.decode()
    assert 'value="published"' in page
    impossible = client.post(url, {"to": "funded"})
    assert impossible.status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == "under_review"
    assert client.post(url, {"to": "published"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "published" and proposal.published_at is not None
    listing = client.get(reverse("queue_proposal:index")).content.decode()
    assert url in listing  # the row's "Change status" button


def test_membership_approval_in_the_admin(client, site, outsider_organiser):
    forum = Forum.objects.get(slug="lane-end")
    person = User.objects.create_user(email="new@example.org", password="x-long-pass-1")
    pending = Membership.objects.create(
        forum=forum, user=person, status="pending", method="approval", message="Hi"
    )
    url = reverse("work:members", args=["lane-end"])
    client.force_login(outsider_organiser)
    refused_by_the_admin(
        client.post(url, {"membership": pending.pk, "decision": "approve"})
    )
    pending.refresh_from_db()
    assert pending.status == "pending"
    client.force_login(site["organiser"])
    assert "new@example.org" in client.get(url).content.decode()
    assert (
        client.post(url, {"membership": pending.pk, "decision": "approve"}).status_code
        == 302
    )
    pending.refresh_from_db()
    assert pending.status == "verified" and pending.decided_by == site["organiser"]


def test_code_batches_in_the_admin(client, site):
    url = reverse("work:codes", args=["lane-end"])
    client.force_login(site["organiser"])
    before = VerificationCodeBatch.objects.count()
    bad = client.post(url, {"count": "0", "days_valid": "90"})
    assert bad.status_code == 400 and VerificationCodeBatch.objects.count() == before
    assert (
        client.post(
            url, {"count": "3", "days_valid": "30", "note": "Mill Row"}
        ).status_code
        == 302
    )
    batch = VerificationCodeBatch.objects.get(note="Mill Row")
    assert batch.codes.count() == 3
    download = reverse("work:codes_download", args=["lane-end", batch.pk, "csv"])
    assert client.get(download).status_code == 405  # a logged download is a POST
    assert not AuditEntry.objects.filter(action="codes.export").exists()
    csv_file = client.post(download)
    body = csv_file.content.decode()
    assert csv_file["Content-Type"] == "text/csv"
    assert all(c.plain in body for c in batch.codes.all())
    assert AuditEntry.objects.filter(action="codes.export").exists()
    pdf = client.post(
        reverse("work:codes_download", args=["lane-end", batch.pk, "pdf"])
    )
    assert pdf.content.startswith(b"%PDF")
    client.force_login(site["resident"])
    sent_to_admin_sign_in(client.get(url), url)


def test_moderation_in_the_admin(client, site, outsider_organiser):
    comment = Comment.objects.filter(forum__slug="lane-end").first()
    report = Report.objects.create(
        forum=comment.forum, comment=comment, reporter=site["resident"], reason="Rude"
    )
    url = reverse("work:moderate", args=[report.pk])
    client.force_login(outsider_organiser)
    refused_by_the_admin(client.post(url, {"action": "hide", "reason": "x"}))
    client.force_login(site["organiser"])
    assert "Rude" in client.get(url).content.decode()
    no_reason = client.post(url, {"action": "hide"})
    assert no_reason.status_code == 400 and "public reason" in _errors(no_reason)
    comment.refresh_from_db()
    assert not comment.hidden
    assert (
        client.post(url, {"action": "hide", "reason": "Personal attack"}).status_code
        == 302
    )
    comment.refresh_from_db()
    report.refresh_from_db()
    assert comment.hidden and comment.hidden_reason == "Personal attack"
    assert report.resolved_at is not None


def test_framework_rules_in_the_admin(client, site):
    place = Place.objects.get(slug="lane-end")
    url = reverse("work:rules", args=["lane-end"])
    client.force_login(site["organiser"])
    refused_by_the_admin(client.get(url))
    client.force_login(site["officer"])
    page = client.get(url).content.decode()
    assert "locked by Shire" in page and "from Shire" in page
    before = FrameworkRules.objects.get(place=place).locked_fields
    crossed = client.post(url, {"project_cost_min": "900", "project_cost_max": "100"})
    assert crossed.status_code == 400
    assert FrameworkRules.objects.get(place=place).project_cost_min_pence is None
    ok = client.post(
        url,
        {
            "ballot_method": "approval",
            "max_choices": "4",
            "locked_fields": ["ballot_method"],
        },
    )
    assert ok.status_code == 302
    rules = FrameworkRules.objects.get(place=place)
    assert rules.ballot_method == "approval" and rules.max_choices == 4
    assert rules.locked_fields == ["ballot_method"] != before


def test_phase_and_count_in_the_admin(client, site):
    cycle = Cycle.objects.get(slug=site["cycle"].slug)
    url = reverse("work:phase", args=[cycle.slug])
    client.force_login(site["organiser"])
    refused_by_the_admin(client.post(url, {"phase": "counting"}))
    client.force_login(site["officer"])
    assert client.post(url, {"phase": "nonsense"}).status_code == 400
    # Closing the vote asks first, saying what it will do; nothing changes yet.
    cast = VoterRecord.objects.filter(cycle=cycle).count()
    asked = client.post(url, {"phase": "counting"})
    assert asked.status_code == 200
    assert (
        f"Voting closes now: {cast} ballots will be mixed and counted; no one can "
        "vote after this." in asked.content.decode()
    )
    cycle.refresh_from_db()
    assert cycle.phase == "voting"
    assert client.post(url, {"phase": "counting", "confirm": "on"}).status_code == 302
    cycle.refresh_from_db()
    assert cycle.phase == "counting"
    page = client.get(url).content.decode()
    assert "Count the votes now" in page
    # Closing counted once (a draft); counting again adds another draft.
    assert Tally.objects.filter(section__cycle=cycle, published=False).count() == 1
    assert client.post(url, {"phase": "counting", "count": "1"}).status_code == 302
    assert Tally.objects.filter(section__cycle=cycle, published=False).count() == 2


def test_paper_ballot_in_the_admin(client, site):
    cycle = Cycle.objects.get(slug=site["cycle"].slug)
    forum = Forum.objects.get(slug="lane-end")
    batch = residency_codes.generate(
        actor=site["organiser"], forum=forum, count=1, days_valid=9
    )
    code = batch.codes.get().plain
    entry = ballot_sections(cycle, seed="paper", sort="cost")[0]
    field = f"s{entry['section'].pk}"
    projects = [p.code for p in entry["projects"]]  # cheapest first
    url = reverse("work:paper", args=[cycle.slug])
    client.force_login(site["organiser"])
    ballots_before = box.count(cycle)
    too_much = client.post(url, {"code": code, field: projects})
    assert too_much.status_code == 400 and "Not recorded" not in _errors(too_much)
    assert box.count(cycle) == ballots_before
    assert not batch.codes.filter(used_at__isnull=False).exists()
    choice = projects[-2:]  # the two dearest
    done = client.post(url, {"code": code, field: choice}, follow=True)
    assert "Give the voter their receipt" in done.content.decode()
    assert box.count(cycle) == ballots_before + 1
    assert VoterRecord.objects.filter(cycle=cycle, channel="paper").exists()


def test_decisions_in_the_admin(client, site):
    place = Place.objects.get(slug="lane-end")
    new_url = reverse("work:decision_new", args=["lane-end"])
    client.force_login(site["organiser"])
    refused_by_the_admin(client.get(new_url))
    client.force_login(site["councillor"])
    empty = client.post(new_url, {"kind": "approve_funded"})
    assert empty.status_code == 400
    assert not Decision.objects.filter(place=place, published_at__isnull=True)
    form = client.get(new_url).context["form"]
    data = {
        "kind": "approve_funded",
        "title": "Fund the pocket park",
        "text": "Funded.",
        "reasons": "Top of the vote.",
        "decided_on": "2026-11-20",
    }
    for name in form.fields:
        if name.startswith("vote_"):
            data[name] = "for"
    saved = client.post(new_url, data)
    assert saved.status_code == 302
    decision = Decision.objects.get(title="Fund the pocket park")
    assert saved["Location"] == reverse("work:decision_publish", args=[decision.pk])
    assert client.post(saved["Location"]).status_code == 302
    decision.refresh_from_db()
    assert decision.published_at is not None
    # Published: no longer editable in the admin.
    edit = reverse("work:decision_edit", args=["lane-end", decision.pk])
    assert client.get(edit).status_code == 404
    # It is amended instead: the decision page's button opens the form for one.
    page = client.get(decision.get_absolute_url()).content.decode()
    amend_url = f"{new_url}?amends={decision.pk}"
    assert amend_url in page
    form = client.get(amend_url).context["form"]
    assert form.initial["kind"] == "amend"
    amended = client.post(
        amend_url, {**data, "kind": "amend", "title": "Pocket park, smaller"}
    )
    assert amended.status_code == 302
    assert Decision.objects.get(title="Pocket park, smaller").amends == decision


def test_milestones_in_the_admin(client, site):
    funded = Proposal.objects.filter(status__in=["funded", "in_delivery"]).first()
    url = reverse("work:milestone", args=[funded.pk])
    client.force_login(site["organiser"])
    bad = client.post(
        url, {"title": "Dug", "percent_done": "140", "planned_date": "2027-01-01"}
    )
    assert bad.status_code == 400 and not Milestone.objects.filter(title="Dug")
    ok = client.post(
        url, {"title": "Dug", "percent_done": "40", "planned_date": "2027-01-01"}
    )
    assert ok.status_code == 302 and Milestone.objects.filter(
        title="Dug", proposal=funded
    )
    shortlisted = Proposal.objects.filter(status="shortlisted").first()
    refused = client.post(
        reverse("work:milestone", args=[shortlisted.pk]),
        {"title": "Early", "percent_done": "0", "planned_date": "2027-01-01"},
    )
    assert refused.status_code == 400 and "Only funded proposals" in _errors(refused)


def test_money_report_in_the_admin(client, site):
    client.force_login(site["councillor"])
    url = reverse("work:report", args=["shire"])
    page = client.get(url).content.decode()
    assert "Money in, by public body" in page
    csv_file = client.get(url, {"format": "csv"})
    assert csv_file.content.decode().startswith("table,name,amount_pence")
    bad = client.get(url, {"from": "yesterday"})
    assert bad.status_code == 302


def test_queue_rows_offer_only_permitted_actions(client, site):
    idea = _waiting_idea()
    client.force_login(site["organiser"])
    ideas = client.get(reverse("queue_idea:index")).content.decode()
    assert reverse("work:idea_review", args=[idea.pk]) in ideas
    client.force_login(site["councillor"])
    decisions = client.get(reverse("queue_decision:index")).content.decode()
    published = Decision.objects.filter(published_at__isnull=False).first()
    assert reverse("work:decision_publish", args=[published.pk]) not in decisions


def test_snippet_rows_link_to_the_back_office_actions(client, site):
    client.force_login(site["officer"])
    cycles = client.get("/admin/snippets/ballots/cycle/").content.decode()
    assert reverse("work:phase", args=[site["cycle"].slug]) in cycles
    assert reverse("work:paper", args=[site["cycle"].slug]) in cycles  # voting open
    assert reverse("work:paper", args=["lane-end-2025"]) not in cycles  # closed
    places = client.get("/admin/snippets/civic/place/").content.decode()
    assert reverse("work:rules", args=["lane-end"]) in places
    assert reverse("work:boundaries", args=["lane-end"]) in places
    client.force_login(site["organiser"])
    refused_by_the_admin(client.get("/admin/snippets/ballots/cycle/"))


def test_the_back_office_wears_the_platforms_brand(client, site):
    """Wagtail's bird and name give way to the platform's mark and name; organisers,
    who edit no pages, get no page explorer or page search in their menu."""
    client.force_login(site["organiser"])
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    title = page.split("<title>")[1].split("</title>")[0]
    assert title.strip().endswith("Neighbourhood Budgets") and "Wagtail" not in title
    assert "/static/cms/logo.svg" in page
    assert '"name": "explorer"' not in page and '"name": "search"' not in page
    # Nor the dashboard's search box, which would lead them to pages they cannot open.
    assert "Search all pages" not in page and 'role="search"' not in page
    assert "Needs your attention" in page  # the rest of the dashboard stays
    client.force_login(site["admin"])
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '"name": "explorer"' in page
    assert "Search all pages" in page and 'role="search"' in page
    login = client.get(reverse("wagtailadmin_login"))
    assert login.status_code == 302  # signed in already; the page itself:
    client.logout()
    login_page = client.get(reverse("wagtailadmin_login")).content.decode()
    assert "Sign in to Neighbourhood Budgets" in login_page
