"""The proposal state machine: every legal move works and is recorded; every illegal
move is refused with a message; nothing changes when a move is refused."""

import itertools

import pytest
from django.core.exceptions import ValidationError

from forums.models import ProposalStatus as S
from forums.services import proposal_transition
from forums.workflow import (
    BY_DECISION,
    BY_THE_COUNT,
    REASON_REQUIRED,
    TRANSITIONS,
    TransitionError,
)

ALL = list(S.values)
LEGAL = [(a, b) for a in ALL for b in TRANSITIONS[a]]
ILLEGAL = [(a, b) for a, b in itertools.product(ALL, ALL) if b not in TRANSITIONS[a]]


@pytest.mark.parametrize("current,target", LEGAL)
def test_every_legal_transition_is_allowed_and_recorded(
    world, make_proposal, current, target
):
    proposal = make_proposal(status=current)
    # Funded or not: the count decides on the ballot; outside it, a decision.
    by_decision = (current, target) in BY_DECISION and current != S.SHORTLISTED
    proposal_transition(
        actor=world["organiser"] if target not in BY_THE_COUNT else None,
        proposal=proposal,
        to=target,
        reason="because",
        by_count=target in BY_THE_COUNT and not by_decision,
        by_decision=by_decision,
    )
    proposal.refresh_from_db()
    assert proposal.status == target
    step = proposal.transitions.get()
    assert (step.from_status, step.to_status, step.reason) == (
        current,
        target,
        "because",
    )


@pytest.mark.parametrize("current,target", ILLEGAL)
def test_every_illegal_transition_is_refused(world, make_proposal, current, target):
    proposal = make_proposal(status=current)
    with pytest.raises(TransitionError, match="cannot become"):
        proposal_transition(
            actor=world["organiser"],
            proposal=proposal,
            to=target,
            reason="x",
            by_count=True,
        )
    proposal.refresh_from_db()
    assert proposal.status == current and not proposal.transitions.exists()


@pytest.mark.parametrize("target", sorted(REASON_REQUIRED))
def test_reason_is_required_for_rejection_withdrawal_and_changes(
    world, make_proposal, target
):
    proposal = make_proposal(status=S.UNDER_REVIEW)
    with pytest.raises(TransitionError, match="Give a reason"):
        proposal_transition(
            actor=world["organiser"], proposal=proposal, to=target, reason="  "
        )


def test_only_the_count_funds_a_proposal(world, make_proposal):
    proposal = make_proposal(status=S.SHORTLISTED)
    with pytest.raises(TransitionError, match="Only the count"):
        proposal_transition(actor=world["organiser"], proposal=proposal, to=S.FUNDED)


def test_publishing_checks_the_framework_cost_rules(world, make_proposal):
    from civic.models import FrameworkRules

    FrameworkRules.objects.create(
        place=world["county"], project_cost_max_pence=20000_00, max_share_percent=30
    )
    proposal = make_proposal(status=S.UNDER_REVIEW, cost=25000_00)
    with pytest.raises(ValidationError) as info:
        proposal_transition(actor=world["organiser"], proposal=proposal, to=S.PUBLISHED)
    text = " ".join(info.value.messages)
    assert "above the maximum project cost of £20,000 set by Shire" in text
    assert "more than 30% of the £50,000 budget (£15,000)" in text
    proposal.refresh_from_db()
    assert proposal.status == S.UNDER_REVIEW


def test_author_may_submit_and_withdraw_but_not_publish(world, make_proposal):
    author = world["member"]
    proposal = make_proposal(status=S.DRAFT, author=author)
    proposal_transition(actor=author, proposal=proposal, to=S.SUBMITTED)
    with pytest.raises(TransitionError, match="may not"):
        proposal_transition(actor=author, proposal=proposal, to=S.UNDER_REVIEW)
    proposal_transition(
        actor=author, proposal=proposal, to=S.WITHDRAWN, reason="changed my mind"
    )


@pytest.mark.parametrize("current", [S.PUBLISHED, S.NOT_FUNDED])
def test_only_a_decision_funds_outside_the_vote(world, make_proposal, current):
    proposal = make_proposal(status=current)
    with pytest.raises(TransitionError, match="Only the count decides"):
        proposal_transition(
            actor=world["organiser"], proposal=proposal, to=S.FUNDED, reason="x"
        )
    with pytest.raises(TransitionError, match="only proposals on its ballot"):
        proposal_transition(
            actor=None, proposal=proposal, to=S.FUNDED, reason="x", by_count=True
        )
    proposal.refresh_from_db()
    assert proposal.status == current


def test_an_over_limit_cost_is_refused_at_review_not_first_at_publishing(world):
    """Turning an idea into a proposal checks the framework's cost rules then."""
    from civic.models import FrameworkRules
    from forums.models import Idea, Proposal
    from forums.services import ForumError, idea_review, idea_submit

    FrameworkRules.objects.create(
        place=world["county"], project_cost_max_pence=20000_00
    )
    idea = idea_submit(
        author=world["member"],
        forum=world["forum"],
        data={
            "title": "Skate park",
            "summary": "A skate park",
            "description": "By the field",
            "category": world["category"],
        },
    )
    with pytest.raises(
        ForumError,
        match="The cost £24,000 is above the maximum project cost of £20,000 set by "
        "Shire.",
    ):
        idea_review(
            actor=world["organiser"],
            idea=idea,
            action="accept",
            proposal_data={"cost_pence": 24000_00},
        )
    assert not Proposal.objects.exists()
    assert Idea.objects.get(pk=idea.pk).status == "submitted"
