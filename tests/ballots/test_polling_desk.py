"""A polling point's desk: poll officers on shift look voters up, hand the screen
over (kiosk) or key in a paper ballot, and keep the point's ballot account; officers
grant the shifts. The register records channel, point and help, never a choice."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ballots import voting_codes
from ballots.models import (
    Channel,
    PollingPoint,
    PollOfficerShift,
    SpoiltPapers,
    VoterRecord,
)
from ballots.selectors.statistics import cycle_statistics
from ballots.services import ballot_cast, paper_ballot_enter
from civic.models import (
    AuditEntry,
    FrameworkRules,
    Place,
    Role,
    RoleKind,
    VerificationMethod,
)
from tests.ballots import box
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(point_world):
    point_world["url"] = reverse("desk:desk", args=[point_world["point"].pk])
    return point_world


def test_the_desk_is_its_poll_officers_during_their_shift(client, desk):
    w = desk
    assert client.get(w["url"]).status_code == 302  # sign in first
    client.force_login(w["voters"][0])
    assert client.get(w["url"]).status_code == 403
    client.force_login(w["officer"])  # an officer of the place may run it too
    assert client.get(w["url"]).status_code == 200
    client.force_login(w["clerk"])
    assert client.get(w["url"]).status_code == 200
    PollOfficerShift.objects.update(ends_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(w["url"]).status_code == 403  # the shift is over


def test_a_poll_officer_without_two_factor_sign_in_is_sent_to_set_it_up(client, desk):
    w = desk
    type(w["clerk"]).objects.filter(pk=w["clerk"].pk).update(is_demo=False)
    client.force_login(w["clerk"])
    answer = client.get(w["url"])
    assert (answer.status_code, answer["Location"]) == (
        302,
        "/accounts/2fa/totp/activate/",
    )


def test_a_kiosk_vote_an_assisted_one_and_a_paper_ballot(client, desk):
    w = desk
    first, second, third = w["voters"][:3]
    section = str(w["section"].pk)
    client.force_login(w["clerk"])
    page = client.get(w["url"], {"q": first.display_name[:6]}).content.decode()
    assert first.public_name in page and "Not voted yet: may vote." in page

    # The screen, handed over; the voter casts in private; back to the desk.
    handed = client.post(
        reverse("desk:hand_over", args=[w["point"].pk, w["cycle"].slug]),
        {"voter": first.pk},
    )
    assert handed.status_code == 302
    screen = client.get(handed["Location"])
    assert screen.status_code == 200
    html = screen.content.decode()
    assert "site-nav" not in html and "kiosk-bar" in html
    assert "no-store" in screen["Cache-Control"]
    cast = client.post(handed["Location"], {f"s{section}": [w["codes"][0]]})
    assert cast.status_code == 302 and cast["Location"].startswith(w["url"])
    # The same hand-over cannot cast twice.
    again = client.post(handed["Location"], {f"s{section}": [w["codes"][1]]})
    assert again.status_code == 400
    assert "This person has already voted in this cycle." in again.content.decode()

    # Someone who asks for help.
    handed = client.post(
        reverse("desk:hand_over", args=[w["point"].pk, w["cycle"].slug]),
        {"voter": second.pk, "assisted": "on"},
    )
    client.post(handed["Location"], {f"s{section}": [w["codes"][1]]})

    # A paper ballot from the box.
    paper = reverse("desk:paper", args=[w["point"].pk, w["cycle"].slug])
    assert client.get(paper, {"voter": third.pk}).status_code == 200
    client.post(paper, {"voter": third.pk, f"s{section}": [w["codes"][2]]})

    records = {
        r.user_id: r
        for r in VoterRecord.objects.filter(cycle=w["cycle"], polling_point=w["point"])
    }
    assert {u: (r.channel, r.assisted) for u, r in records.items()} == {
        first.pk: (Channel.POLLING_POINT, False),
        second.pk: (Channel.POLLING_POINT, True),
        third.pk: (Channel.PAPER, False),
    }
    assert all(r.entered_by_id == w["clerk"].pk for r in records.values())
    assert box.count(w["cycle"]) == 3  # sealed and mixed like every other ballot

    # Already voted: refused at the desk, in words.
    page = client.get(w["url"], {"q": first.display_name[:6]}).content.decode()
    assert "Has voted in this vote." in page
    refused = client.post(
        reverse("desk:hand_over", args=[w["point"].pk, w["cycle"].slug]),
        {"voter": first.pk},
        follow=True,
    )
    assert "This person has already voted in this cycle." in refused.content.decode()

    # The point's ballot account, with spoilt papers.
    client.post(
        reverse("desk:spoilt", args=[w["point"].pk, w["cycle"].slug]), {"number": "2"}
    )
    page = client.get(w["url"]).content.decode()
    for label, n in (
        ("Marked on the register here", 3),
        ("Cast on the screen", 2),
        ("Paper ballots entered", 1),
        ("Voters helped", 1),
        ("Spoilt papers", 2),
    ):
        assert f"<dt>{label}</dt><dd>{n}</dd>" in page


def test_someone_who_voted_online_cannot_be_handed_the_screen(client, desk):
    w = desk
    voter = w["voters"][0]
    ballot_cast(
        user=voter, cycle=w["cycle"], choices={str(w["section"].pk): [w["codes"][0]]}
    )
    client.force_login(w["clerk"])
    answer = client.post(
        reverse("desk:hand_over", args=[w["point"].pk, w["cycle"].slug]),
        {"voter": voter.pk},
        follow=True,
    )
    assert "This person has already voted in this cycle." in answer.content.decode()
    assert VoterRecord.objects.filter(cycle=w["cycle"]).count() == 1


def test_officers_grant_and_end_shifts(client, desk):
    w = desk
    url = reverse("desk:shifts", args=[w["point"].pk])
    client.force_login(w["clerk"])
    assert client.get(url).status_code == 403  # poll officers do not grant shifts
    client.force_login(w["officer"])
    newcomer = UserFactory(email="helper@example.org")
    start = timezone.localtime() + dt.timedelta(hours=1)
    data = {
        "email": "helper@example.org",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    refused = client.post(url, data, follow=True)
    assert "A shift ends after it starts." in refused.content.decode()
    data["ends_at"] = (start + dt.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M")
    client.post(url, data)
    shift = PollOfficerShift.objects.get(user=newcomer)
    assert shift.granted_by == w["officer"]
    assert AuditEntry.objects.filter(action="polling.shift").count() == 1
    client.post(url, {"end": shift.pk})  # not started yet: cancelled
    assert not PollOfficerShift.objects.filter(user=newcomer).exists()
    under_way = PollOfficerShift.objects.get(user=w["clerk"])
    client.post(url, {"end": under_way.pk})  # under way: it ends now
    under_way.refresh_from_db()
    assert under_way.ends_at <= timezone.now()
    client.force_login(w["clerk"])
    assert client.get(w["url"]).status_code == 403


def test_the_published_statistics_count_each_point_merging_small_ones(client, desk):
    w = desk
    small = PollingPoint.objects.create(
        place=w["hood"], name="Lane End Chapel", address="Chapel Row"
    )
    section = str(w["section"].pk)
    for i in range(13):
        voter = UserFactory(is_demo=True)
        grant(voter, w["hood"], RoleKind.RESIDENT)
        paper_ballot_enter(
            actor=w["clerk"],
            cycle=w["cycle"],
            choices={section: [w["codes"][0]]},
            voter=voter,
            polling_point=w["point"] if i < 10 else small,
            on_screen=i % 2 == 0,
            assisted=i < 10,
        )
    SpoiltPapers.objects.create(point=w["point"], cycle=w["cycle"], number=4)
    found = cycle_statistics(w["cycle"])
    assert [(r["label"], r["n"]) for r in found["by_point"]] == [
        ("Lane End Library", 10),
        ("Other groups (fewer than 10 each)", 3),
    ]
    # 10 helped (shown), 4 spoilt papers (fewer than 10: not shown).
    assert found["in_person_extra"] == [("Voters helped at polling points", 10)]
    page = client.get(reverse("ballots:statistics", args=[w["cycle"].slug]))
    assert "By polling point" in page.content.decode()


def test_a_new_person_is_checked_and_registered_at_the_desk(client, desk):
    w = desk
    Place.objects.filter(pk=w["hood"].pk).update(postcode_areas="LE1")
    Place.objects.filter(pk=w["other"].pk).update(postcode_areas="ZT9")
    url = reverse("desk:register", args=[w["point"].pk, w["cycle"].slug])
    client.force_login(w["clerk"])
    data = {
        "name": "Nia Newcomer",
        "email": "nia@example.org",
        "postcode": "ZT9 1AA",
        "year_of_birth": "1990",
        "evidence": "document",
    }
    # Outside the vote's places: refused, and what was typed comes back.
    refused = client.post(url, data)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert (
        "ZT9 1AA is not in Lane End: this vote is for residents of Lane End only."
        in page
    )
    assert 'value="Nia Newcomer"' in page
    data["postcode"] = "LE1 4XY"
    done = client.post(url, data, follow=True)
    page = done.content.decode()
    assert "Nia Newcomer is on the register as a resident, checked here." in page
    assert "Not voted yet: may vote." in page  # looked up, ready to vote
    role = Role.objects.get(user__email="nia@example.org")
    assert (role.place, role.verification_method, role.granted_by) == (
        w["hood"],
        VerificationMethod.IN_PERSON,
        w["clerk"],
    )
    entry = AuditEntry.objects.get(action="polling.register")
    assert entry.data["evidence"] == "document"
    assert not role.user.has_usable_password()
    # The same email again: look them up instead.
    again = client.post(url, data)
    assert (
        "Someone already has an account with nia@example.org" in again.content.decode()
    )


def test_rules_that_refuse_checks_in_person_are_said_at_the_desk(client, desk):
    w = desk
    Place.objects.filter(pk=w["hood"].pk).update(postcode_areas="LE1")
    type(w["cycle"]).objects.filter(pk=w["cycle"].pk).update(
        frozen_rules={
            **w["cycle"].frozen_rules,
            "verification_methods": ["postcode", "code"],
        }
    )
    assert FrameworkRules.objects.exists()
    client.force_login(w["clerk"])
    answer = client.post(
        reverse("desk:register", args=[w["point"].pk, w["cycle"].slug]),
        {
            "name": "Nia Newcomer",
            "email": "nia@example.org",
            "postcode": "LE1 4XY",
            "year_of_birth": "1990",
            "evidence": "document",
        },
    )
    assert "do not accept residency checked in person" in answer.content.decode()
    assert not type(w["clerk"]).objects.filter(email="nia@example.org").exists()


def test_a_posted_code_votes_on_the_screen_or_on_paper(client, desk):
    w = desk
    batch = voting_codes.generate(
        actor=w["officer"], cycle=w["cycle"], place=w["hood"], count=2
    )
    first, second = (row.plain for row in batch.codes.order_by("pk"))
    section = str(w["section"].pk)
    client.force_login(w["clerk"])
    url = reverse("desk:hand_over", args=[w["point"].pk, w["cycle"].slug])
    handed = client.post(url, {"code": first})
    assert handed.status_code == 302
    assert first.replace("-", "") not in handed["Location"].replace("-", "")
    screen = client.get(handed["Location"])
    assert "kiosk-bar" in screen.content.decode()
    client.post(handed["Location"], {f"s{section}": [w["codes"][0]]})
    # The second code, on paper: the ballot, then the cast.
    shown = client.post(url, {"code": second, "paper": "1"})
    assert shown.status_code == 200 and "The paper ballot of a posted code" in (
        shown.content.decode()
    )
    paper = reverse("desk:paper", args=[w["point"].pk, w["cycle"].slug])
    client.post(paper, {"code": second, f"s{section}": [w["codes"][1]]})
    records = VoterRecord.objects.filter(cycle=w["cycle"], polling_point=w["point"])
    assert sorted(records.values_list("channel", flat=True)) == [
        Channel.PAPER,
        Channel.POLLING_POINT,
    ]
    assert all(r.voting_code_id for r in records)
    # A used code is refused at the desk, in words.
    again = client.post(url, {"code": first}, follow=True)
    assert (
        "That code has already been used to vote. Each code votes once."
        in again.content.decode()
    )
    assert records.count() == 2
