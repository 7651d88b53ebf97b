"""Voting codes posted as letters through GOV.UK Notify's precompiled-letter API
(against its local stand-in, tests/notify_stand_in.py): one PDF in Notify's letter
format per address of an uploaded list, each with its own code, followed until Royal
Mail has it; a list with a mistake, or longer than the codes left, posts nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ballots import voting_codes
from civic import tasks
from civic.models import Letter

pytestmark = pytest.mark.django_db


ADDRESSES = (
    "address_line_1,address_line_2,address_line_3,address_line_4\n"
    "The Occupier,1 Lane End,Millbrook,NB1 2AB\n"
    "The Occupier,2 Lane End,Millbrook,nb12ab\n"
)


def upload(client, w, batch, text):
    return client.post(
        reverse("ballots:code_letters", args=[w["cycle"].slug, batch.pk]),
        {"file": SimpleUploadedFile("addresses.csv", text.encode())},
    )


def test_code_letters_go_through_notify_and_are_followed(
    notify, vote_world, client, django_capture_on_commit_callbacks
):
    w = vote_world
    batch = voting_codes.generate(
        actor=w["officer"], cycle=w["cycle"], place=w["hood"], count=3
    )
    client.force_login(w["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, w, batch, ADDRESSES)
    assert response.status_code == 302
    letters = notify.sent("letter")
    assert len(letters) == 2
    assert all(
        n["pdf"].startswith(b"%PDF-") and n["postage"] == "second" for n in letters
    )
    rows = list(Letter.objects.order_by("pk"))
    assert [r.address.splitlines()[-1] for r in rows] == ["NB1 2AB", "NB1 2AB"]
    assert all(r.status == "pending-virus-check" and r.sealed_pdf is None for r in rows)
    # Two different codes of the batch; the third is still free for a third letter.
    assert len({r.code_digest for r in rows}) == 2
    page = client.get(reverse("ballots:code_letters", args=[w["cycle"].slug, batch.pk]))
    assert page.content.decode().count("With GOV.UK Notify") == 2
    # Notify's receipt for the first; asking Notify for the second.
    assert notify.receipt(rows[0].notify_id, "received") == 200
    notify.notifications[rows[1].notify_id]["status"] = "received"
    assert tasks.follow_letters() == 1
    page = client.get(reverse("ballots:code_letters", args=[w["cycle"].slug, batch.pk]))
    assert page.content.decode().count("With Royal Mail") == 2
    # Too many addresses for the codes left: nothing posted.
    refused = upload(client, w, batch, ADDRESSES)
    assert refused.status_code == 400
    assert "The list has 2 addresses but this batch has 1 codes not yet posted" in (
        refused.content.decode()
    )
    assert Letter.objects.count() == 2


def test_an_address_list_with_a_mistake_posts_nothing(notify, vote_world, client):
    w = vote_world
    batch = voting_codes.generate(
        actor=w["officer"], cycle=w["cycle"], place=w["hood"], count=3
    )
    client.force_login(w["officer"])
    response = upload(
        client, w, batch,
        ADDRESSES + "The Occupier,Nowhere,NOT A POSTCODE\nJust one line,,,\n",
    )  # fmt: skip
    assert response.status_code == 400
    assert (
        "Nothing was posted. Mend these rows and upload the list again: row 4 does not "
        "end with a UK postcode (“NOT A POSTCODE”); row 5 has fewer than 3 address lines."
    ) in response.content.decode()
    assert not Letter.objects.exists() and notify.sent("letter") == []
