"""Joining a forum: postcode, one-time codes, organiser approval."""

import datetime as dt

import pytest
from django.utils import timezone

from civic.models import Role
from forums.models import MembershipStatus, VerificationCode
from forums.services import ForumError, forum_join, membership_decide, residency_codes
from tests.factories import UserFactory


def test_postcode_in_the_place_verifies_at_once(world):
    user = UserFactory()
    m = forum_join(
        user=user, forum=world["forum"], method="postcode", postcode="nb9 1xy"
    )
    assert (
        m.status == MembershipStatus.VERIFIED
        and m.method == "postcode"
        and m.verified_at
    )
    assert (
        Role.objects.get(user=user, place=world["home"]).verification_method
        == "postcode"
    )


def test_postcode_outside_the_place_is_refused(world):
    with pytest.raises(ForumError, match="is not in Lane End"):
        forum_join(
            user=UserFactory(),
            forum=world["forum"],
            method="postcode",
            postcode="NB9 2AA",
        )


def test_code_works_once_and_only_for_its_place(world):
    batch = residency_codes.generate(
        actor=world["organiser"], forum=world["forum"], count=2, days_valid=30
    )
    code, other = [c.plain for c in batch.codes.all()]
    with pytest.raises(ForumError, match="different neighbourhood"):
        forum_join(
            user=UserFactory(), forum=world["other_forum"], method="code", code=code
        )
    first = UserFactory()
    forum_join(
        user=first,
        forum=world["forum"],
        method="code",
        code=code.lower().replace("-", " "),
    )
    row = VerificationCode.objects.get(code=VerificationCode.digest(code))
    assert row.used_by == first and row.used_at
    with pytest.raises(ForumError, match="already been used"):
        forum_join(user=UserFactory(), forum=world["forum"], method="code", code=code)


def test_expired_and_unknown_codes_are_refused(world):
    batch = residency_codes.generate(
        actor=world["organiser"], forum=world["forum"], count=1, days_valid=1
    )
    batch.expires_at = timezone.now() - dt.timedelta(minutes=1)
    batch.save()
    with pytest.raises(ForumError, match="expired"):
        forum_join(
            user=UserFactory(),
            forum=world["forum"],
            method="code",
            code=batch.codes.get().plain,
        )
    with pytest.raises(ForumError, match="not recognised"):
        forum_join(
            user=UserFactory(), forum=world["forum"], method="code", code="ZZZZZ-ZZZZZ"
        )


def test_approval_request_waits_for_an_organiser(world):
    user = UserFactory()
    m = forum_join(
        user=user, forum=world["forum"], method="approval", message="I run the café"
    )
    assert m.status == MembershipStatus.PENDING
    assert not user.has_perm("forums.submit_idea", world["forum"])
    membership_decide(actor=world["organiser"], membership=m, approve=True)
    m.refresh_from_db()
    assert m.status == MembershipStatus.VERIFIED and m.decided_by == world["organiser"]
    user = type(user).objects.get(pk=user.pk)
    assert user.has_perm("forums.submit_idea", world["forum"])


def test_methods_follow_the_framework_rules(world):
    from civic.models import FrameworkRules

    FrameworkRules.objects.create(place=world["county"], verification_methods=["code"])
    with pytest.raises(ForumError, match="does not accept"):
        forum_join(
            user=UserFactory(),
            forum=world["forum"],
            method="postcode",
            postcode="NB9 1AA",
        )


def test_code_batches_are_bounded(world):
    with pytest.raises(ForumError):
        residency_codes.generate(
            actor=world["organiser"], forum=world["forum"], count=0, days_valid=10
        )


def test_emails_wait_for_the_commit(world, django_capture_on_commit_callbacks):
    """A request for approval and an idea's review email people only once the change
    is committed: a rolled-back change emails nobody."""
    from django.core import mail
    from django.db import transaction

    from forums.services import idea_review, idea_submit

    idea = idea_submit(
        author=world["member"],
        forum=world["forum"],
        data={
            "title": "Benches",
            "summary": "Two benches",
            "description": "By the pond",
            "category": world["category"],
        },
    )
    mail.outbox.clear()

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        forum_join(user=UserFactory(), forum=world["forum"], method="approval")
        idea_review(actor=world["organiser"], idea=idea, action="reject", note="No")
        raise Undo
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        forum_join(user=UserFactory(), forum=world["forum"], method="approval")
        idea_review(actor=world["organiser"], idea=idea, action="reject", note="No")
        assert mail.outbox == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world["organiser"].email, world["member"].email]
    )


def test_an_organiser_decides_requests_in_the_back_office(world, client):
    """Approving and turning down, each said once (forums/flows.py)."""
    from django.contrib.messages import get_messages
    from django.urls import reverse

    first, second = UserFactory(display_name="Ada"), UserFactory(display_name="Bo")
    forum = world["forum"]
    requests = [
        forum_join(user=u, forum=forum, method="approval", message="Hello")
        for u in (first, second)
    ]
    url = reverse("work:members", args=[forum.slug])
    client.force_login(world["organiser"])
    for membership, decision in zip(requests, ("approve", "reject"), strict=True):
        response = client.post(url, {"membership": membership.pk, "decision": decision})
        assert response.status_code == 302
    # Both messages wait for the next page the organiser sees.
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == [f"{first} is now a member.", f"{second} was turned down."]
    statuses = [type(m).objects.get(pk=m.pk).status for m in requests]
    assert statuses == [MembershipStatus.VERIFIED, MembershipStatus.REJECTED]
