"""What the security tests share: the roles walked, and a world built with factories
holding one record of every kind a URL can point at: an open vote and a counted one,
a forum with a published proposal, an idea, a topic, a comment and a report, a funded
proposal in a second forum, a published and a draft decision, residency and voting
code batches."""

import pytest
from allauth.account.models import EmailAddress

from accountability.services import decision_save
from ballots import voting_codes
from ballots.models import Phase, PollingPoint
from ballots.services import ballot_cast, cycle_set_phase
from civic.models import Role, RoleKind
from forums.models import Idea, ProposalStatus
from forums.services import report_create, residency_codes
from forums.services.debate import comment_post, topic_create
from tests.ballots.conftest import _no_frozen_cache, vote_world  # noqa: F401
from tests.factories import (
    BudgetFactory,
    ContributionFactory,
    CycleFactory,
    DecisionFactory,
    ForumFactory,
    ProposalFactory,
    SectionFactory,
    UserFactory,
    grant,
)

ROLES = [
    "anonymous",
    "unverified",
    "outsider",
    "resident",
    "organiser",
    "councillor",
    "officer",
]


def _counted_vote(w, place, voter):
    """A vote in `place`, cast by `voter`, counted and published; returns the cycle
    and the proposal it funded."""
    budget = BudgetFactory(place=place, name=f"{place.name} budget")
    ContributionFactory(budget=budget, amount_pence=30000_00)
    forum = ForumFactory(place=place)
    category = w["proposals"][0].category
    funded, _ = (
        ProposalFactory(
            forum=forum,
            category=category,
            cost_pence=cost,
            status=ProposalStatus.SHORTLISTED,
        )
        for cost in (20000_00, 25000_00)
    )
    cycle = CycleFactory(place=place, name=f"{place.name} 2025", slug="counted-2025")
    section = SectionFactory(cycle=cycle, budget=budget, budget_pence=30000_00)
    officer = w["officer"]
    cycle_set_phase(actor=officer, cycle=cycle, phase=Phase.VOTING)
    cycle.refresh_from_db()
    ballot_cast(user=voter, cycle=cycle, choices={str(section.pk): [str(funded.pk)]})
    cycle_set_phase(actor=officer, cycle=cycle, phase=Phase.COUNTING)
    cycle_set_phase(actor=officer, cycle=cycle, phase=Phase.RESULTS)
    cycle.refresh_from_db()
    funded.refresh_from_db()
    assert funded.status == ProposalStatus.FUNDED
    return cycle, funded, forum


@pytest.fixture
def world(vote_world, settings):  # noqa: F811
    """vote_world (Shire; Lane End with its forum, organiser, residents and the vote
    open; Zed Town, where the outsider lives) and everything the URLs point at."""
    w = vote_world
    settings.NB_DEMO_MFA_EXEMPT = True
    resident, outsider = w["voters"][0], w["outsider"]
    councillor = UserFactory(is_demo=True)
    grant(councillor, w["county"], RoleKind.COUNCILLOR)
    unverified = UserFactory(is_demo=True, verified=False)
    assert not EmailAddress.objects.get(user=unverified).verified
    counted, funded, other_forum = _counted_vote(w, w["other"], outsider)
    voting = w["open"]()
    old_mill, forum = w["hood"], w["forum"]
    proposal = ProposalFactory(
        forum=forum, category=w["proposals"][0].category, title="Planters"
    )
    comment = comment_post(author=resident, thread=proposal, body="<p>Yes.</p>")
    idea = Idea.objects.create(
        forum=forum,
        author=resident,
        title="Benches",
        summary="s",
        description="d",
        category=proposal.category,
    )
    topic = topic_create(author=resident, forum=forum, title="Parking", body="b")
    batch = residency_codes.generate(
        actor=w["organiser"], forum=forum, count=2, days_valid=10
    )
    report = report_create(user=outsider, target=comment, reason="rude")
    published = DecisionFactory(place=old_mill, created_by=councillor)
    draft = decision_save(
        actor=councillor,
        place=w["other"],
        data={
            "kind": "defer",
            "title": "Defer",
            "text": "t",
            "reasons": "r",
            "conflicts": "",
            "decided_on": published.decided_on,
            "cycle": None,
        },
        votes=[(councillor, "for", "")],
    )
    code_batch = voting_codes.generate(
        actor=w["officer"], cycle=voting, place=old_mill, count=2
    )
    point = PollingPoint.objects.create(
        place=old_mill, name="Old Mill Library", address="2 Mill Lane"
    )
    point.cycles.add(voting)
    point.save()
    return {
        "users": {
            "unverified": unverified,
            "outsider": outsider,
            "resident": resident,
            "organiser": w["organiser"],
            "councillor": councillor,
            "officer": w["officer"],
        },
        "old_mill": old_mill,
        "forum": forum,
        "other_forum": other_forum,
        "proposal": proposal,
        "funded": funded,
        "comment": comment,
        "idea": idea,
        "topic": topic,
        "batch": batch,
        "report": report,
        "published": published,
        "draft": draft,
        "voting": voting,
        "counted": counted,
        "role": Role.objects.get(place=old_mill, user=resident),
        "code_batch": code_batch,
        "point": point,
    }
