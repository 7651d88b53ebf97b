"""Sign-in with the council's identity providers, without a browser: off by default,
a provider that cannot be reached said so in words, and which sign-ins count as
two-factor (the whole flow against a real provider: tests/e2e/
test_identity_provider_in_the_browser.py)."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from civic.adapters import provider_mfa
from tests.servers import free_port

pytestmark = pytest.mark.django_db


def test_without_providers_the_sign_in_page_offers_none(client):
    page = client.get(reverse("account_login")).content.decode()
    assert "Or sign in with" not in page


@pytest.fixture
def unreachable_provider(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "council",
                    "name": "Shire Council",
                    "client_id": "nb",
                    "secret": "s",
                    "settings": {"server_url": f"http://127.0.0.1:{free_port()}"},
                }
            ],
        }
    }


def test_the_page_offers_a_configured_provider(client, unreachable_provider):
    page = client.get(reverse("account_login")).content.decode()
    assert "Sign in with Shire Council" in page
    assert 'action="/accounts/oidc/council/login/' in page


def test_a_provider_that_cannot_be_reached_is_said_so(client, unreachable_provider):
    response = client.post("/accounts/oidc/council/login/", follow=True)
    assert response.redirect_chain == [(reverse("account_login"), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "The sign-in service cannot be reached just now. Try again in a few minutes, "
        "or sign in with your email address and password."
    ]


def signed_in(provider, amr):
    claims = {"sub": "x"} if amr is None else {"sub": "x", "amr": amr}
    account = SimpleNamespace(provider=provider, extra_data={"id_token": claims})
    return SimpleNamespace(account=account)


@pytest.mark.parametrize(
    "login,counts",
    [
        (signed_in("council", ["pwd", "mfa"]), True),
        (signed_in("council", ["pwd"]), False),
        (signed_in("council", None), False),
        (signed_in("council", "mfa"), True),  # a provider giving one string
        (signed_in("residents", ["pwd", "mfa"]), False),  # only the staff provider
        (None, False),  # a password sign-in
    ],
)
def test_which_sign_ins_count_as_two_factor(settings, login, counts):
    settings.NB_STAFF_MFA_AMR = ["mfa"]
    settings.NB_STAFF_MFA_FROM_PROVIDER = True
    assert provider_mfa(login) is counts


def test_a_council_can_choose_what_counts_or_that_nothing_does(settings):
    settings.NB_STAFF_MFA_AMR = ["hwk", "otp"]
    assert provider_mfa(signed_in("council", ["pwd", "mfa"])) is False
    assert provider_mfa(signed_in("council", ["pwd", "otp"])) is True
    settings.NB_STAFF_MFA_FROM_PROVIDER = False
    assert provider_mfa(signed_in("council", ["pwd", "otp"])) is False


def test_requiring_the_staff_provider_never_locks_staff_out(client, settings):
    """With no staff provider configured, STAFF_SIGN_IN_REQUIRED changes nothing: an
    officer still signs in with a password."""
    from civic.models import PlaceKind, RoleKind
    from tests.factories import UserFactory, grant, make_place

    settings.NB_STAFF_SIGN_IN_REQUIRED = True
    officer = UserFactory()
    grant(officer, make_place("Shire", PlaceKind.COUNTY), RoleKind.OFFICER)
    response = client.post(
        reverse("account_login"),
        {"login": officer.email, "password": "pw-for-tests-1"},
    )
    assert (response.status_code, response["Location"]) == (302, "/")


def test_with_the_provider_set_up_a_staff_password_is_refused(
    client, settings, unreachable_provider
):
    from civic.models import PlaceKind, RoleKind
    from tests.factories import UserFactory, grant, make_place

    settings.NB_STAFF_SIGN_IN_REQUIRED = True
    officer = UserFactory()
    grant(officer, make_place("Shire", PlaceKind.COUNTY), RoleKind.OFFICER)
    response = client.post(
        reverse("account_login"),
        {"login": officer.email, "password": "pw-for-tests-1"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Council staff sign in with Shire Council, not with a password here: use "
        "the button below."
    ]
    assert not response.context["user"].is_authenticated
