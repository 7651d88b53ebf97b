"""Debate: sanitised text, threading, edit window, reactions; moderation and its log;
rate limits; notifications."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from civic.models import AuditEntry
from civic.ratelimit import RateLimited
from forums.models import Comment, Report
from forums.services import (
    ForumError,
    comment_edit,
    comment_post,
    moderate,
    reaction_toggle,
    report_create,
)

HOSTILE = [
    "<script>alert(1)</script>hello",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "<svg/onload=alert(1)>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '"><iframe src=//evil>',
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_comment_text_is_sanitised(world, make_proposal, payload):
    try:
        comment = comment_post(
            author=world["member"], thread=make_proposal(), body=payload
        )
    except ForumError as error:
        # Nothing safe was left: refused, with a message, and nothing stored.
        assert "unsafe markup" in error.message and not Comment.objects.exists()
        return
    lowered = comment.body.lower()
    for bad in ("<script", "onerror", "javascript:", "onload", "<iframe", "style="):
        assert bad not in lowered


def test_allowed_markup_and_plain_text_paragraphs_survive(world, make_proposal):
    c = comment_post(
        author=world["member"],
        thread=make_proposal(),
        body="<strong>Yes</strong> <a href='https://x.org'>link</a>",
    )
    assert "<strong>Yes</strong>" in c.body and 'rel="nofollow noopener ugc"' in c.body
    c2 = comment_post(
        author=world["member"], thread=make_proposal(), body="one\n\ntwo & <3"
    )
    assert c2.body == "<p>one</p><p>two &amp; &lt;3</p>"


def test_replies_nest_and_notify(world, make_proposal, settings):
    proposal = make_proposal(author=world["organiser"])
    root = comment_post(author=world["organiser"], thread=proposal, body="Thoughts?")
    mail.outbox.clear()
    with pytest.MonkeyPatch.context():
        pass
    reply = comment_post(
        author=world["member"], thread=proposal, body="Yes please", parent=root
    )
    assert reply.depth == 1 and reply.parent == root


def test_notifications_respect_opt_out(
    world, make_proposal, django_capture_on_commit_callbacks
):
    proposal = make_proposal(author=world["organiser"])
    with django_capture_on_commit_callbacks(execute=True):
        root = comment_post(author=world["councillor"], thread=proposal, body="First")
    assert [m.to for m in mail.outbox] == [[world["organiser"].email]]
    mail.outbox.clear()
    world["councillor"].notify_replies = False
    world["councillor"].save()
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(author=world["member"], thread=proposal, body="Reply", parent=root)
    assert [m.to for m in mail.outbox] == [
        [world["organiser"].email]
    ]  # author yes, councillor opted out
    assert mail.outbox[0].alternatives and "Reply" in mail.outbox[0].body


def test_edit_window(world, make_proposal):
    c = comment_post(author=world["member"], thread=make_proposal(), body="typo")
    comment_edit(author=world["member"], comment=c, body="fixed")
    assert "fixed" in Comment.objects.get(pk=c.pk).body
    Comment.objects.filter(pk=c.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=16)
    )
    c.refresh_from_db()
    with pytest.raises(ForumError, match="15 minutes"):
        comment_edit(author=world["member"], comment=c, body="too late")
    with pytest.raises(ForumError, match="your own"):
        comment_edit(author=world["outsider"], comment=c, body="not mine")


def test_reactions_count_once_per_person(world, make_proposal):
    c = comment_post(author=world["organiser"], thread=make_proposal(), body="x")
    reaction_toggle(user=world["member"], comment=c, value=1)
    reaction_toggle(user=world["member"], comment=c, value=1)  # same again: taken back
    assert (
        Comment.objects.get(pk=c.pk).agree_count,
        Comment.objects.get(pk=c.pk).disagree_count,
    ) == (0, 0)
    reaction_toggle(user=world["member"], comment=c, value=1)
    reaction_toggle(user=world["member"], comment=c, value=-1)  # switch
    c.refresh_from_db()
    assert (c.agree_count, c.disagree_count) == (0, 1)


def test_hide_restore_lock_are_logged_and_never_delete(world, make_proposal):
    proposal = make_proposal()
    c = comment_post(author=world["member"], thread=proposal, body="rude words")
    report = report_create(user=world["outsider"], target=c, reason="abusive")
    moderate(
        actor=world["councillor"], target=c, action="hide", reason="Breaks house rule 2"
    )
    c.refresh_from_db()
    assert (
        c.hidden and c.hidden_reason == "Breaks house rule 2" and "rude words" in c.body
    )
    assert Report.objects.get(pk=report.pk).resolution == "hide"
    moderate(actor=world["organiser"], target=c, action="restore")
    moderate(actor=world["organiser"], target=proposal, action="lock")
    with pytest.raises(ForumError, match="locked"):
        comment_post(author=world["member"], thread=proposal, body="more")
    actions = list(
        AuditEntry.objects.filter(action__startswith="moderation.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["moderation.hide", "moderation.restore", "moderation.lock"]
    with pytest.raises(ForumError, match="public reason"):
        moderate(actor=world["organiser"], target=c, action="hide", reason="")


def test_comment_rate_limit_has_a_clear_message(world, make_proposal, monkeypatch):
    """The limit counts a clock-aligned window and says when the next one opens."""
    from civic import ratelimit

    window_start = 1_800_000_000 - 1_800_000_000 % 300  # 5-minute windows
    clock = [window_start + 100.5]
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    proposal = make_proposal()
    for i in range(10):
        comment_post(author=world["member"], thread=proposal, body=f"c{i}")
    with pytest.raises(RateLimited) as info:
        comment_post(author=world["member"], thread=proposal, body="one too many")
    assert info.value.message == (
        "You have reached the limit of 10 comments in 5 minutes. "
        "You can post again in 4 minutes."
    )
    clock[0] = window_start + 290
    with pytest.raises(RateLimited) as info:
        comment_post(author=world["member"], thread=proposal, body="still too many")
    assert info.value.message.endswith("You can post again in 10 seconds.")
    assert Comment.objects.filter(author=world["member"]).count() == 10
    clock[0] = window_start + 300
    comment_post(author=world["member"], thread=proposal, body="a new window")
    assert Comment.objects.filter(author=world["member"]).count() == 11


def test_moderation_queue_lists_reports_of_comments_and_proposals(
    world, make_proposal, client
):
    from django.urls import reverse

    proposal = make_proposal()
    c = comment_post(author=world["member"], thread=proposal, body="rude")
    report_create(user=world["outsider"], target=c, reason="abusive comment")
    report_create(user=world["outsider"], target=proposal, reason="duplicate proposal")
    client.force_login(world["organiser"])
    forum_page = client.get(reverse("forums:forum", args=["lane-end"])).content.decode()
    queue_url = f"{reverse('queue_report:index')}?forum={world['forum'].pk}"
    assert queue_url.replace("&", "&amp;") in forum_page  # the organiser bar's link
    page = client.get(queue_url).content.decode()
    assert "abusive comment" in page and "duplicate proposal" in page
    for report in Report.objects.all():
        assert reverse("work:moderate", args=[report.pk]) in page


def test_an_organiser_of_the_ward_takes_part_in_a_neighbourhood_debate(
    world, make_proposal, client
):
    """The ward's organiser is not a resident of the neighbourhood, yet debates in its
    forum; the page offers the comment form, not "Join the forum"."""
    from django.urls import reverse

    proposal = make_proposal()
    client.force_login(world["organiser"])
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "comment-form" in page and "Join the forum</a>" not in page
    response = client.post(
        reverse("forums:comment", args=["lane-end", "proposal", proposal.pk]),
        {"body": "The surgery supports this."},
    )
    assert response.status_code == 302
    assert Comment.objects.get(proposal=proposal).author == world["organiser"]


def test_a_moderator_locks_a_proposals_debate(world, make_proposal, client):
    from django.urls import reverse

    proposal = make_proposal()
    client.force_login(world["organiser"])
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Lock discussion" in page
    client.post(
        reverse("forums:moderate", args=["lane-end", "proposal", proposal.pk]),
        {"action": "lock", "next": proposal.get_absolute_url()},
    )
    proposal.refresh_from_db()
    assert proposal.comments_locked
    client.force_login(world["member"])
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "This discussion has been locked by a moderator." in page
    assert "comment-form" not in page
    refused = client.post(
        reverse("forums:comment", args=["lane-end", "proposal", proposal.pk]),
        {"body": "Still want to say this."},
    )
    assert refused.status_code == 403
    assert not Comment.objects.filter(proposal=proposal).exists()
