"""One cycle's whole life in Chromium, for each ballot method, as a council officer, a
resident and an organiser would live it: a proposal shortlisted by the organiser, the dates
and budget set in the back office (in pounds), the pre-flight checklist refusing and then passing, voting opened with
confirmation, a ballot cast, the phase menu (site and back office) never offering to
skip the count, voting closed with confirmation (which counts), the result published,
the recount from the published file with the command the recount page gives, delivery
completed. Screenshots of the new pages go to screenshots/ at 390 and 1,280 px."""

import datetime as dt
import subprocess
import sys

import pytest
from django.utils import timezone

from ballots.models import Cycle, Phase, Tally
from forums.models import Proposal, ProposalStatus
from tests.e2e.test_voting_in_the_browser import (  # noqa: F401
    browser,
    shoot,
    voter_page,
)
from tests.servers import ROOT, free_port, start_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

RULES = {
    "approval": {"ballot_method": "approval", "max_choices": 2},
    "knapsack": {"ballot_method": "knapsack", "max_choices": None},
    "ranked": {"ballot_method": "ranked", "max_ranked": 3},
    "points": {"ballot_method": "points", "points_per_voter": 10},
}


def fill_ballot(page, method, sid, codes):
    """The resident's choices: P1 and P2 (£30k of the £60k)."""
    if method in ("approval", "knapsack"):
        page.check(f"#p-{sid}-{codes[0]}")
        page.check(f"#p-{sid}-{codes[1]}")
    elif method == "ranked":
        page.select_option(f"#p-{sid}-{codes[0]}", "1")
        page.select_option(f"#p-{sid}-{codes[1]}", "2")
    else:
        page.fill(f"#p-{sid}-{codes[0]}", "6")
        page.fill(f"#p-{sid}-{codes[1]}", "4")


def choose_phase(page, phase):
    page.select_option("select[name=phase]", phase)
    page.click("form:has(select[name=phase]) button[type=submit]")


def menu(page) -> list[str]:
    return page.eval_on_selector_all(
        "select[name=phase] option", "options => options.map(o => o.value)"
    )


# Two of the four methods walk the whole life (a budget meter and a ranking); every
# method's ballot is also voted in the browser by tests/e2e/test_ballot_methods.py.
@pytest.mark.parametrize("method", ["knapsack", "ranked"])
def test_a_cycle_from_setting_up_to_delivery(vote_world, browser, method):  # noqa: F811
    from civic.models import FrameworkRules

    w = vote_world
    FrameworkRules.objects.filter(place=w["county"]).update(**RULES[method])
    cycle, section, codes = w["cycle"], w["section"], w["codes"]
    Cycle.objects.filter(pk=cycle.pk).update(voting_start=None, counting_start=None)
    # P4 is published, not yet on the shortlist: the organiser shortlists it below.
    p4 = w["proposals"][3]
    Proposal.objects.filter(pk=p4.pk).update(status=ProposalStatus.PUBLISHED)
    port = free_port()
    server = start_server(
        port, "", f"nblife{method}", extra_env={"NB_DEMO_MFA_EXEMPT": "1"}
    )
    base = f"http://127.0.0.1:{port}"
    try:
        organiser = voter_page(browser, w["organiser"], base)
        organiser.goto(f"{base}{p4.get_absolute_url()}")
        organiser.select_option("#id_to", ProposalStatus.SHORTLISTED)
        organiser.click("form:has(#id_to) button[type=submit]")
        assert Proposal.objects.get(pk=p4.pk).status == ProposalStatus.SHORTLISTED

        officer = voter_page(browser, w["officer"], base)
        officer.goto(f"{base}/cycles/{cycle.slug}/")
        checklist = officer.locator(".checklist")
        assert "Set the date voting opens." in checklist.inner_text()
        shoot(officer, f"lifecycle-checklist-{method}")

        # Opening is refused while a check fails, with the reason, and nothing moves.
        choose_phase(officer, "voting")
        assert "Open voting now?" in officer.inner_text("h1")
        officer.click("form.confirm-move button[type=submit]")
        assert "Set the date voting opens." in officer.inner_text(".messages")
        assert Cycle.objects.get(pk=cycle.pk).phase == Phase.SHORTLIST

        # The dates and the budget, in the back office: money typed in pounds.
        officer.goto(f"{base}/admin/snippets/ballots/cycle/edit/{cycle.pk}/")
        opens = timezone.localtime() - dt.timedelta(minutes=5)
        closes = timezone.localtime() + dt.timedelta(days=10)
        officer.fill("#id_voting_start", opens.strftime("%Y-%m-%d %H:%M"))
        officer.fill("#id_counting_start", closes.strftime("%Y-%m-%d %H:%M"))
        budget = officer.locator("#id_sections-0-budget_pence")
        assert budget.input_value() == "60000.00"
        assert "(£)" in officer.inner_text("label[for=id_sections-0-budget_pence]")
        budget.fill("55000")
        officer.click("button.action-save")
        officer.wait_for_url(f"{base}/admin/snippets/ballots/cycle/**")
        section.refresh_from_db()
        assert section.budget_pence == 55000_00

        officer.goto(f"{base}/cycles/{cycle.slug}/")
        assert "✗" not in officer.inner_text(".checklist")
        choose_phase(officer, "voting")
        consequences = officer.inner_text(".consequences")
        assert "Voting opens now for 5 eligible residents." in consequences
        shoot(officer, f"lifecycle-confirm-open-{method}")
        officer.click("form.confirm-move button[type=submit]")
        assert Cycle.objects.get(pk=cycle.pk).phase == Phase.VOTING
        assert "Voting closes" in officer.inner_text(".phase-timing")

        # A resident votes.
        resident = voter_page(browser, w["voters"][0], base)
        resident.goto(f"{base}/cycles/{cycle.slug}/vote/")
        assert "Voting closes" in resident.inner_text(".phase-timing")
        fill_ballot(resident, method, section.pk, codes)
        resident.click("form.ballot button[type=submit]")
        assert len(resident.inner_text("#receipt-code").strip()) == 19

        # No page offers to skip the count: the site's menu, then the back office's.
        officer.goto(f"{base}/cycles/{cycle.slug}/")
        assert menu(officer) == ["counting"]
        officer.goto(f"{base}/admin/work/cycles/{cycle.slug}/phase/")
        assert menu(officer) == ["counting"]

        # Closing asks first, saying what will happen; confirming closes and counts.
        officer.goto(f"{base}/cycles/{cycle.slug}/")
        choose_phase(officer, "counting")
        assert (
            "Voting closes now: 1 ballot will be mixed and counted; no one can vote "
            "after this." in officer.inner_text(".consequences")
        )
        shoot(officer, f"lifecycle-confirm-close-{method}")
        officer.click("form.confirm-move button[type=submit]")
        assert Cycle.objects.get(pk=cycle.pk).phase == Phase.COUNTING
        draft = Tally.objects.get(section=section)
        assert (draft.published, draft.ballots_counted) == (False, 1)
        assert menu(officer) == ["results"]

        choose_phase(officer, "results")
        assert "Publish the result now?" in officer.inner_text("h1")
        officer.click("form.confirm-move button[type=submit]")
        assert Cycle.objects.get(pk=cycle.pk).phase == Phase.RESULTS
        published = Tally.objects.get(section=section)
        assert published.pk == draft.pk and published.published
        assert sorted(published.result["selected"]) == sorted(codes[:2])

        # The recount, as the recount page tells a resident to run it.
        resident.goto(f"{base}/cycles/{cycle.slug}/recount/")
        command = resident.inner_text("header code").split()
        download = resident.request.get(
            f"{base}/cycles/{cycle.slug}/export/{section.pk}.pb"
        )
        path = ROOT / ".cache" / f"lifecycle-{method}.pb"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(download.body())
        command[command.index("FILE.pb")] = str(path)
        done = subprocess.run(
            [sys.executable, "-m", *command[2:]],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        assert f'"selected": {sorted(codes[:2])}'.replace("'", '"') in done.stdout

        # Delivery, then a funded project delivered in one step.
        officer.goto(f"{base}/cycles/{cycle.slug}/")
        assert menu(officer) == ["delivery"]
        choose_phase(officer, "delivery")
        assert Cycle.objects.get(pk=cycle.pk).phase == Phase.DELIVERY
        funded = Proposal.objects.get(pk=int(codes[0]))
        assert funded.status == ProposalStatus.FUNDED
        delivery = f"{base}/forums/{w['forum'].slug}/proposals/{funded.pk}/delivery/"
        officer.goto(delivery)
        officer.get_by_role("link", name="Post a milestone").click()  # the back office
        officer.fill("#id_title", "Opened to the public")
        officer.fill("#id_planned_date", timezone.localdate().isoformat())
        officer.fill("#id_percent_done", "100")
        officer.check("#id_completes")
        officer.get_by_role("button", name="Post milestone").click()
        officer.wait_for_url("**/admin/queues/milestone/")
        funded.refresh_from_db()
        assert funded.status == ProposalStatus.DELIVERED
        officer.goto(delivery)
        assert "100% done" in officer.inner_text("main")
        shoot(officer, f"lifecycle-delivered-{method}")
    finally:
        server.terminate()
        server.wait(10)
