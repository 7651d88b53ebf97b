"""Accounts: sign up by email with mandatory verification."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from civic.models import User
from tests.factories import UserFactory

PASSWORD = "pw-for-tests-1"  # tests/factories.py's

pytestmark = pytest.mark.django_db


def test_signup_requires_email_verification(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email="new@example.org").exists()
    # Not signed in until the address is confirmed.
    assert client.get(reverse("civic:profile")).status_code == 302
    link = re.search(
        r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[0].body
    ).group(1)
    client.post(link)
    assert client.get(reverse("civic:profile")).status_code == 200


def test_login_is_rate_limited_after_repeated_failures(client):
    resident = UserFactory()
    for _ in range(5):
        client.post(
            reverse("account_login"), {"login": resident.email, "password": "wrong"}
        )
    # Locked out: even the right password is refused for a while, with a clear message.
    response = client.post(
        reverse("account_login"), {"login": resident.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()


def test_a_language_chosen_before_signing_in_is_remembered(client):
    """Someone who switched the site to Cymraeg and then signs in has Welsh stored:
    their personal-data download says "cy", not ""."""
    import json

    resident = UserFactory()
    assert resident.language == ""
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    client.post(
        reverse("account_login"), {"login": resident.email, "password": PASSWORD}
    )
    resident.refresh_from_db()
    assert resident.language == "cy"
    data = json.loads(client.get(reverse("civic:my_data")).content)
    assert data["account"]["language"] == "cy"
