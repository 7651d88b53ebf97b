"""Each staff action runs one flow (`<app>/flows.py`) from its one page in the back
office (the Wagtail admin), and, where the site offers it in context (a button on the
proposal, the comment or the cycle page that posts into the same action), from there
too: the same input gives the same stored outcome and the same message, and the same
refusal, whichever page it came from. An action with no in-context button on the site
has `None` for its site URL."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accountability.models import Milestone
from ballots.models import Cycle, Phase
from forums.models import (
    Comment,
    Idea,
    IdeaStatus,
    Proposal,
    ProposalStatus,
    Report,
    VerificationCodeBatch,
)
from forums.services import comment_post, idea_submit, report_create
from tests.ballots.conftest import _no_frozen_cache, vote_world  # noqa: F401
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

SITE, ADMIN = "site", "admin"


def _said(response) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def w(vote_world):  # noqa: F811
    """vote_world (a neighbourhood, its forum, organiser, officer, residents and a cycle
    with four shortlisted proposals), with an idea waiting for review, a published
    proposal, a comment reported as rude, the cycle open for voting and a funded
    proposal."""
    w = vote_world
    resident = w["voters"][0]
    w["idea"] = idea_submit(
        author=resident,
        forum=w["forum"],
        data={
            "title": "Planters along the lane",
            "summary": "Flowers.",
            "description": "Planters.",
            "category": w["proposals"][0].category,
            "rough_cost_pence": 2000_00,
        },
    )
    w["published"] = ProposalFactory(forum=w["forum"], title="Skate spot")
    comment = comment_post(author=resident, thread=w["published"], body="Rude words.")
    w["report"] = report_create(user=w["voters"][1], target=comment, reason="Rude.")
    w["open"]()
    w["funded"] = ProposalFactory(
        forum=w["forum"], title="Community fridge", status=ProposalStatus.FUNDED
    )
    return w


# (who acts, the record, the two URLs, the form data, how the outcome reads back, the
# outcome expected, the message expected)
CASES = {
    "idea review": (
        "organiser",
        lambda w: w["idea"],
        lambda i: reverse("forums:idea_review", args=[i.forum.slug, i.pk]),
        lambda i: reverse("work:idea_review", args=[i.pk]),
        {"action": "changes", "note": "Which side of the bridge?"},
        lambda i: Idea.objects.get(pk=i.pk).status,
        IdeaStatus.CHANGES_REQUESTED,
        "Review saved.",
    ),
    "proposal status": (
        "organiser",
        lambda w: w["published"],
        lambda p: reverse("forums:proposal_transition", args=[p.forum.slug, p.pk]),
        lambda p: reverse("work:proposal_status", args=[p.pk]),
        {"to": ProposalStatus.SHORTLISTED, "reason": ""},
        lambda p: Proposal.objects.get(pk=p.pk).status,
        ProposalStatus.SHORTLISTED,
        "Proposal updated.",
    ),
    "moderation": (
        "organiser",
        lambda w: w["report"],
        lambda r: reverse("forums:moderate", args=[r.forum.slug, "report", r.pk]),
        lambda r: reverse("work:moderate", args=[r.pk]),
        {"action": "hide", "reason": "Personal abuse."},
        lambda r: (
            Report.objects.get(pk=r.pk).resolution,
            Comment.objects.get(pk=r.comment_id).hidden_reason,
        ),
        ("hide", "Personal abuse."),
        "Done. The action is recorded in the moderation log.",
    ),
    "verification codes": (
        "organiser",
        lambda w: w["forum"],
        None,
        lambda f: reverse("work:codes", args=[f.slug]),
        {"count": "3", "days_valid": "30", "note": "Weaver Row"},
        lambda f: [
            (b.note, b.codes.count())
            for b in VerificationCodeBatch.objects.filter(forum=f, note="Weaver Row")
        ],
        [("Weaver Row", 3)],
        "Codes generated. Download them to print.",
    ),
    "phase change": (
        "officer",
        lambda w: w["cycle"],
        lambda c: reverse("ballots:phase", args=[c.slug]),
        lambda c: reverse("work:phase", args=[c.slug]),
        {"phase": Phase.COUNTING, "confirm": "on"},
        lambda c: Cycle.objects.get(pk=c.pk).phase,
        Phase.COUNTING,
        "The cycle is now: Counting.",
    ),
    "delivery milestone": (
        "officer",
        lambda w: w["funded"],
        None,
        lambda p: reverse("work:milestone", args=[p.pk]),
        {
            "title": "Fridge installed",
            "planned_date": "2026-11-30",
            "percent_done": "60",
            "update": "",
        },
        lambda p: list(
            Milestone.objects.filter(proposal=p, title="Fridge installed").values_list(
                "planned_date", "percent_done"
            )
        ),
        [(dt.date(2026, 11, 30), 60)],
        "Milestone posted.",
    ),
}


def _post(client, case, front_end, obj, data):
    _who, _get, site_url, admin_url, *_rest = CASES[case]
    if front_end == SITE:
        return client.post(site_url(obj), data)
    return client.post(admin_url(obj), data)


def _front_ends(cases) -> list[tuple[str, str]]:
    return [
        (case, front_end)
        for case in cases
        for front_end in (SITE, ADMIN)
        if front_end == ADMIN or CASES[case][2] is not None
    ]


@pytest.mark.parametrize("case,front_end", _front_ends(CASES))
def test_both_front_ends_give_one_outcome_and_message(w, client, case, front_end):
    who, get, _s, _a, data, read, expected, message = CASES[case]
    obj = get(w)
    client.force_login(w[who])
    response = _post(client, case, front_end, obj, data)
    assert response.status_code == 302
    assert read(obj) == expected
    assert _said(response) == [("success", message)]


# The same refusal, from the service or the form, on both front ends: nothing stored.
REFUSALS = {
    "hiding without a public reason": (
        "moderation",
        {"action": "hide", "reason": ""},
        "Give the public reason shown in place of the hidden text.",
    ),
    "a move the workflow does not allow": (
        "proposal status",
        {"to": ProposalStatus.IN_DELIVERY, "reason": ""},
        "That change is not possible for this proposal.",
    ),
    "skipping the count": (
        "phase change",
        {"phase": Phase.DELIVERY, "confirm": "on"},
        "Voting must close first, and closing it counts every ballot: move the "
        "cycle to “Counting”.",
    ),
    "rejecting an idea without a note": (
        "idea review",
        {"action": "reject", "note": ""},
        "Give a reason: it is shown to the author and the public.",
    ),
}


# Where each front end says it: the back office always shows its form again (400);
# the site shows the form again where the page has one, and otherwise redirects with
# the message.
SITE_SHOWS_FORM = {"idea review"}


@pytest.mark.parametrize(
    "refusal,front_end",
    [
        (refusal, front_end)
        for refusal in REFUSALS
        for case, front_end in _front_ends([REFUSALS[refusal][0]])
    ],
)
def test_both_front_ends_refuse_alike(w, client, refusal, front_end):
    case, data, message = REFUSALS[refusal]
    who, get, _s, _a, _d, read, _expected, _m = CASES[case]
    obj = get(w)
    before = read(obj)
    client.force_login(w[who])
    response = _post(client, case, front_end, obj, data)
    assert read(obj) == before
    if front_end == ADMIN or case in SITE_SHOWS_FORM:
        assert response.status_code == 400
        assert message in response.content.decode()
        assert _said(response) == []
    else:
        assert response.status_code == 302
        assert _said(response) == [("error", message)]
