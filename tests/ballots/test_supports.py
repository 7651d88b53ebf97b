"""The supports phase: residents support published proposals, up to the rules'
number, and the shortlist is built from the supports (ballots/services/supports.py)."""

import threading

import pytest
from django.db import IntegrityError, close_old_connections, transaction
from django.urls import reverse

from ballots import live
from ballots.lifecycle import offered_phases
from ballots.models import Phase, Support
from ballots.services import VotingError, cycle_set_phase
from ballots.services.supports import SupportError, support, withdraw
from civic.models import FrameworkRules
from forums.models import ProposalStatus
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_the_rules_decide_whether_a_cycle_passes_through_supports(supports_world):
    w = supports_world
    cycle = w["cycle"]
    # Used by the rules: the shortlist cannot be drawn up without the supports.
    assert offered_phases(cycle) == [Phase.SUPPORTS]
    with pytest.raises(VotingError) as refused:
        cycle_set_phase(actor=w["officer"], cycle=cycle, phase=Phase.SHORTLIST)
    assert refused.value.message == (
        "The framework rules for Lane End build the shortlist from residents' "
        "supports: open supports first."
    )
    # Not used: the phase is never entered.
    FrameworkRules.objects.filter(place=w["county"]).update(supports_phase=False)
    assert offered_phases(cycle) == [Phase.SHORTLIST, Phase.VOTING]
    with pytest.raises(VotingError) as refused:
        cycle_set_phase(actor=w["officer"], cycle=cycle, phase=Phase.SUPPORTS)
    assert refused.value.message == (
        "The framework rules for Lane End do not use a supports phase: turn it on "
        "in the rules first."
    )
    cycle.refresh_from_db()
    assert cycle.phase == Phase.REVIEW


def test_a_resident_supports_up_to_the_limit_and_may_withdraw(supports_world):
    w = supports_world
    cycle = w["open_supports"]()
    voter = w["voters"][0]
    p1, p2, p3, _p4 = w["proposals"]
    assert support(user=voter, cycle=cycle, proposal=p1) == 1
    with pytest.raises(SupportError) as again:
        support(user=voter, cycle=cycle, proposal=p1)
    assert again.value.message == "You already support this proposal."
    assert support(user=voter, cycle=cycle, proposal=p2) == 0
    with pytest.raises(SupportError) as over:
        support(user=voter, cycle=cycle, proposal=p3)
    assert over.value.message == (
        "You have used all 2 of your supports: withdraw one to support another "
        "proposal."
    )
    withdraw(user=voter, cycle=cycle, proposal=p1)
    assert support(user=voter, cycle=cycle, proposal=p3) == 0
    assert set(
        Support.objects.filter(cycle=cycle, user=voter).values_list(
            "proposal", flat=True
        )
    ) == {p2.pk, p3.pk}
    with pytest.raises(SupportError) as nothing:
        withdraw(user=voter, cycle=cycle, proposal=p1)
    assert nothing.value.message == "You do not support this proposal."


def test_who_may_support_what(supports_world):
    w = supports_world
    cycle = w["open_supports"]()
    p1 = w["proposals"][0]
    with pytest.raises(SupportError) as outsider:
        support(user=w["outsider"], cycle=cycle, proposal=p1)
    assert outsider.value.message == (
        "This vote is for residents of Lane End; you are a verified resident of "
        "Zed Town."
    )
    draft = ProposalFactory(
        forum=w["forum"], category=p1.category, status=ProposalStatus.DRAFT
    )
    hidden = ProposalFactory(forum=w["forum"], category=p1.category, hidden=True)
    for proposal in (draft, hidden):
        with pytest.raises(SupportError) as refused:
            support(user=w["voters"][0], cycle=cycle, proposal=proposal)
        assert refused.value.message == "Only published proposals can be supported."
    assert not Support.objects.exists()


def test_one_support_per_resident_per_proposal_is_held_by_the_database(
    supports_world,
):
    w = supports_world
    cycle = w["open_supports"]()
    voter, p1 = w["voters"][0], w["proposals"][0]
    Support.objects.create(cycle=cycle, proposal=p1, user=voter)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(cycle=cycle, proposal=p1, user=voter)


def _supported(w, counts):
    """Each proposal supported by that many of the five voters."""
    cycle = w["open_supports"]()
    FrameworkRules.objects.filter(place=w["county"]).update(supports_per_resident=4)
    for proposal, n in zip(w["proposals"], counts, strict=True):
        for voter in w["voters"][:n]:
            support(user=voter, cycle=cycle, proposal=proposal)
    return cycle


def _timeline(proposal):
    return list(proposal.transitions.values_list("to_status", "reason"))[-1]


def test_the_most_supported_go_through_with_ties_at_the_cut(supports_world):
    w = supports_world
    cycle = _supported(w, [3, 2, 2, 0])
    cycle_set_phase(actor=w["officer"], cycle=cycle, phase=Phase.SHORTLIST)
    p1, p2, p3, p4 = (type(p).objects.get(pk=p.pk) for p in w["proposals"])
    assert [p.status for p in (p1, p2, p3, p4)] == [
        ProposalStatus.SHORTLISTED,
        ProposalStatus.SHORTLISTED,
        ProposalStatus.SHORTLISTED,
        ProposalStatus.PUBLISHED,
    ]
    assert _timeline(p1) == (
        "shortlisted",
        "Shortlisted from supports: 3 supports, 1 of 4 in Lane End (the 2 most "
        "supported go through).",
    )
    assert _timeline(p3) == (
        "shortlisted",
        "Shortlisted from supports: 2 supports, 3 of 4 in Lane End (the 2 most "
        "supported go through).",
    )
    assert _timeline(p4) == (
        "published",
        "Not shortlisted: 0 supports, 4 of 4 in Lane End; the 2 most supported went "
        "through (the last with 2).",
    )
    # Supports close with the phase.
    with pytest.raises(SupportError):
        support(user=w["voters"][4], cycle=cycle, proposal=p4)


def test_a_threshold_or_the_organisers_build_the_shortlist(supports_world):
    w = supports_world
    FrameworkRules.objects.filter(place=w["county"]).update(
        shortlist_method="threshold", shortlist_threshold=2
    )
    cycle = _supported(w, [3, 2, 1, 0])
    cycle_set_phase(actor=w["officer"], cycle=cycle, phase=Phase.SHORTLIST)
    statuses = [type(p).objects.get(pk=p.pk).status for p in w["proposals"]]
    assert statuses == ["shortlisted", "shortlisted", "published", "published"]
    assert _timeline(w["proposals"][2]) == (
        "published",
        "Not shortlisted: 1 support, fewer than the 2 needed.",
    )


def test_with_the_organisers_deciding_the_supports_are_advice(supports_world):
    w = supports_world
    FrameworkRules.objects.filter(place=w["county"]).update(
        shortlist_method="organisers"
    )
    cycle = _supported(w, [1, 0, 0, 0])
    cycle_set_phase(actor=w["officer"], cycle=cycle, phase=Phase.SHORTLIST)
    assert {type(p).objects.get(pk=p.pk).status for p in w["proposals"]} == {
        "published"
    }
    assert _timeline(w["proposals"][0]) == (
        "published",
        "Supports closed with 1 support (1 of 4 in Lane End); the organisers draw "
        "up the shortlist.",
    )


def test_the_pages_show_the_counts_and_the_button(client, supports_world):
    w = supports_world
    cycle = w["open_supports"]()
    p1 = w["proposals"][0]
    forum_url = reverse("forums:forum", args=[w["forum"].slug])
    url = reverse("ballots:support", args=[cycle.slug, p1.pk])
    # Anonymous: the count and a way to sign in, no button; a POST asks to sign in.
    page = client.get(forum_url).content.decode()
    assert "Help build the shortlist" in page and "Sign in to support proposals" in page
    assert f'data-support-count="{p1.pk}">0 supports' in page and url not in page
    assert client.post(url).status_code == 302
    assert not Support.objects.exists()

    client.force_login(w["voters"][0])
    answer = client.post(url, {"action": "support", "next": forum_url}, follow=True)
    assert answer.redirect_chain == [(forum_url, 302)]
    page = answer.content.decode()
    assert f"You support “{p1.title}”. You have 1 support left." in page
    assert f'data-support-count="{p1.pk}">1 support' in page
    assert "Supported: withdraw" in page
    proposal_page = client.get(p1.get_absolute_url()).content.decode()
    assert f'data-support-count="{p1.pk}">1 support' in proposal_page
    # A refusal is a message, and nothing is stored.
    client.force_login(w["outsider"])
    answer = client.post(url, {"action": "support"}, follow=True)
    assert "you are a verified resident of Zed Town" in answer.content.decode()
    assert Support.objects.count() == 1
    # Everyone watching gets the counts with the live updates.
    assert live.payload(cycle.pk)["supports"] == {str(p1.pk): 1}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_supports_never_pass_the_limit(supports_world):
    w = supports_world
    cycle = w["open_supports"]()
    voter = w["voters"][0]
    barrier = threading.Barrier(8)
    outcomes = []

    def attempt(proposal):
        try:
            barrier.wait()
            support(user=voter, cycle=cycle, proposal=proposal)
            outcomes.append("ok")
        except SupportError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    # Each of the four proposals twice, all at once: two supports fit.
    threads = [threading.Thread(target=attempt, args=(p,)) for p in w["proposals"] * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 2 and outcomes.count("refused") == 6
    assert Support.objects.filter(cycle=cycle, user=voter).count() == 2
