"""Residency codes posted as letters through GOV.UK Notify from the back office
(against its local stand-in, tests/notify_stand_in.py): one letter per address, each
with an unused code of the batch, listed with its status on the batch's page; without
Notify nothing can be posted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civic.models import Letter
from forums.services import residency_codes
from tests.admin_answers import sent_to_admin_sign_in

pytestmark = pytest.mark.django_db

ADDRESSES = (
    "address_line_1,address_line_2,address_line_3\n"
    "The Occupier,1 Lane End,NB9 1AA\n"
    "The Occupier,2 Lane End,NB9 1AB\n"
)


def batch_of(world, n):
    return residency_codes.generate(
        actor=world["organiser"], forum=world["forum"], count=n, days_valid=30
    )


def post_list(client, batch):
    return client.post(
        reverse("work:code_letters", args=[batch.pk]),
        {"file": SimpleUploadedFile("addresses.csv", ADDRESSES.encode())},
    )


def test_an_organiser_posts_residency_codes_as_letters(
    notify, world, client, django_capture_on_commit_callbacks
):
    batch = batch_of(world, 2)
    client.force_login(world["organiser"])
    with django_capture_on_commit_callbacks(execute=True):
        response = post_list(client, batch)
    assert response.status_code == 302
    assert len(notify.sent("letter")) == 2
    assert [r.address.splitlines()[-1] for r in Letter.objects.order_by("pk")] == [
        "NB9 1AA",
        "NB9 1AB",
    ]
    page = client.get(reverse("work:code_letters", args=[batch.pk])).content.decode()
    assert page.count("With GOV.UK Notify") == 2


def test_without_notify_no_letter_is_stored(world, client):
    batch = batch_of(world, 2)
    client.force_login(world["organiser"])
    response = post_list(client, batch)
    assert response.status_code == 400
    assert not Letter.objects.exists()


def test_only_the_forums_organisers_post_its_codes(notify, world, client):
    batch = batch_of(world, 2)
    client.force_login(world["member"])
    sent_to_admin_sign_in(
        post_list(client, batch), reverse("work:code_letters", args=[batch.pk])
    )
    assert not Letter.objects.exists()
