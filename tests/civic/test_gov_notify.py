"""GOV.UK Notify behind the outbox, against a faithful local stand-in of its HTTP API
(tests/notify_stand_in.py: its JWT authentication, validation and delivery receipts):
emails in the recipient's language, a wrong key refused and retried, a bad address
final and shown to officers, Notify away and nothing lost, receipts signed with the
callback token; text messages (a mobile number proved by a code, a receipt by text,
"voting opens tomorrow"), the cost rule of a text's parts; and code letters posted
through the precompiled-letter API, followed until Royal Mail has them."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from ballots import notifications
from ballots.tasks import voting_reminders
from civic import gov_notify, tasks
from civic.models import OutgoingEmail, Place, PlaceKind, RoleKind
from civic.notify import send, send_text
from forums.models import Follow
from tests.factories import CycleFactory, ForumFactory, UserFactory, grant, make_place

pytestmark = pytest.mark.django_db


def a_cycle(**fields):
    place = make_place(f"Place {Place.objects.count() + 1}")
    return CycleFactory(place=place, **fields)


def deliver_all():
    for pk in OutgoingEmail.objects.filter(sent_at__isnull=True).values_list(
        "pk", flat=True
    ):
        tasks.deliver(pk)


def test_an_email_goes_through_notify_in_the_recipients_language(
    notify, django_capture_on_commit_callbacks
):
    welsh = UserFactory(display_name="Siân", language="cy")
    with django_capture_on_commit_callbacks(execute=True):
        send("cycle_phase", [welsh], {"cycle": a_cycle(name="Pen y Bryn")})
    [sent] = notify.sent("email")
    assert sent["to"] == welsh.email
    assert sent["template"] == notify.templates_by_language["email"]["cy"]
    assert "Pen y Bryn" in sent["subject"] and "Pen y Bryn" in sent["body"]
    row = OutgoingEmail.objects.get()
    assert (row.notify_id, row.status, row.language) == (sent["id"], "created", "cy")
    assert sent["reference"] == f"nb-message-{row.pk}"


def test_a_wrong_api_key_is_refused_as_notify_would_and_tried_again(notify, settings):
    settings.NB_NOTIFY = {
        **settings.NB_NOTIFY,
        "api_key": notify.api_key(secret="0" * 36),
    }
    person = UserFactory()
    send("cycle_phase", [person], {"cycle": a_cycle()})
    deliver_all()
    row = OutgoingEmail.objects.get()
    assert row.sent_at is None and row.status == ""
    assert row.last_error.startswith("GOV.UK Notify 403: Invalid token: signature")
    assert row.next_attempt_at < timezone.now() + dt.timedelta(hours=1)
    assert notify.sent("email") == []


def test_notify_away_loses_nothing(notify):
    notify.down = True
    send("cycle_phase", [UserFactory()], {"cycle": a_cycle()})
    deliver_all()
    row = OutgoingEmail.objects.get()
    assert row.sent_at is None and row.last_error.startswith("GOV.UK Notify 503")
    notify.down = False
    tasks.deliver(row.pk)
    row.refresh_from_db()
    assert row.sent_at is not None and len(notify.sent("email")) == 1


def test_a_bad_address_is_final_and_shown_to_the_places_officers(
    notify, client, settings
):
    settings.NB_DEMO_MFA_EXEMPT = True
    county = make_place("Shire", PlaceKind.COUNTY)
    hood = make_place("Lane End", PlaceKind.NEIGHBOURHOOD, county)
    officer = UserFactory(is_demo=True)
    grant(officer, county, RoleKind.OFFICER)
    resident = UserFactory(email="nobody@nowhere", display_name="Ned")
    grant(resident, hood)
    elsewhere = UserFactory(email="someone@nowhere", display_name="Elsewhere")
    send("cycle_phase", [resident, elsewhere], {"cycle": a_cycle()})
    deliver_all()
    rows = OutgoingEmail.objects.order_by("pk")
    assert [(r.status, r.last_error) for r in rows] == [
        (
            "permanent-failure",
            "GOV.UK Notify 400: email_address Not a valid email address",
        )
    ] * 2
    assert all(
        r.next_attempt_at > timezone.now() + dt.timedelta(days=365) for r in rows
    )
    client.force_login(officer)
    page = client.get(reverse("work:index")).content.decode()
    assert "Messages not delivered" in page and "nobody@nowhere" in page
    assert "someone@nowhere" not in page  # not a person of the officer's places


def test_delivery_receipts_need_the_callback_token(notify, client):
    send("cycle_phase", [UserFactory()], {"cycle": a_cycle()})
    deliver_all()
    row = OutgoingEmail.objects.get()
    assert notify.receipt(row.notify_id, "delivered") == 200
    row.refresh_from_db()
    assert row.status == "delivered"
    forged = client.post(
        reverse("notify_callback"),
        json.dumps({"id": row.notify_id, "status": "permanent-failure"}),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer guessed",
    )
    assert forged.status_code == 401
    row.refresh_from_db()
    assert row.status == "delivered"


@pytest.mark.parametrize(
    "text,parts",
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("[" * 80, 1),  # each of ^{}\[~]|€ takes two
        ("[" * 81, 2),
        ("Pleidleisiwch ŵ" + "a" * 55, 1),  # ŵ: Unicode, 70 a part
        ("Pleidleisiwch ŵ" + "a" * 56, 2),
        ("ŷ" * 134, 2),
        ("ŷ" * 135, 3),
    ],
)
def test_the_cost_of_a_text_in_parts(text, parts):
    assert gov_notify.sms_parts(text) == parts


def prove_mobile(client, user, notify, number="07700 900123"):
    client.force_login(user)
    client.post(reverse("civic:mobile"), {"mobile": number})
    deliver_all()
    text = notify.sent("sms")[-1]
    return text, text["body"].split()[0]


def test_a_mobile_number_is_proved_by_a_code_texted_to_it(
    notify, client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    client.force_login(user)
    assert "Text messages" in client.get(reverse("civic:profile")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("civic:mobile"), {"mobile": "07700 900123"})
    [text] = notify.sent("sms")
    assert text["to"] == "+447700900123"
    code = text["body"].split()[0]
    assert len(code) == 6 and code.isdigit()
    row = OutgoingEmail.objects.get(channel="sms")
    assert code not in (row.text + row.to) and row.sealed is None  # sent: emptied
    wrong = client.post(
        reverse("civic:mobile_confirm"),
        {"code": "000000" if code != "000000" else "111111"},
        follow=True,
    )
    assert "That is not the code we texted" in wrong.content.decode()
    client.post(reverse("civic:mobile_confirm"), {"code": code})
    user.refresh_from_db()
    assert (user.mobile, user.mobile_verified) == ("+447700900123", True)
    page = client.get(reverse("civic:profile")).content.decode()
    assert "text me my receipt code after i vote" in page.lower()
    bad = client.post(reverse("civic:mobile"), {"mobile": "01632 960000"}, follow=True)
    assert "Enter a UK mobile number, such as 07700 900123." in bad.content.decode()


def test_receipts_and_reminders_by_text(notify, django_capture_on_commit_callbacks):
    place = make_place("Lane End")
    voter = UserFactory(mobile="+447700900123", mobile_verified=True, text_receipt=True,
                        text_reminders=True)  # fmt: skip
    forum = ForumFactory(place=place)
    Follow.objects.create(user=voter, forum=forum)
    soon = CycleFactory(place=place, name="Lane End 2027",
                        voting_start=timezone.now() + dt.timedelta(hours=12))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        notifications.receipt(voter, soon, "RCPT-1234")
        assert voting_reminders() == 1
        assert voting_reminders() == 0  # once per vote
    receipt, reminder = notify.sent("sms")
    assert "RCPT-1234" in receipt["body"] and receipt["to"] == "+447700900123"
    assert reminder["body"].startswith("Voting in Lane End 2027 opens tomorrow.")
    stored = OutgoingEmail.objects.get(name="receipt")
    assert stored.sealed is None and "RCPT-1234" not in stored.text


def test_no_texts_without_notify(settings):
    settings.NB_NOTIFY = {**settings.NB_NOTIFY, "api_key": ""}
    voter = UserFactory(mobile="+447700900123", mobile_verified=True)
    assert send_text("voting_opens", [voter], {"cycle": a_cycle()}) == 0
