"""Sign-in with the council's OpenID Connect providers, in Chromium, against a real
provider (node oidc-provider, tests/oidc/) through the authorisation-code flow with
PKCE: staff sign in with the council's provider (its multi-factor sign-in counting as
our two-factor one), residents with theirs (linked to an existing account by verified
email, or a new account), ID tokens for another audience or from another issuer
refused, sign-out; and a council that requires staff to use its provider."""

from urllib.parse import parse_qs, urlparse

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount

from civic.models import PlaceKind, RoleKind, User
from tests.e2e.test_voting_in_the_browser import browser, check_axe, shoot  # noqa: F401
from tests.factories import UserFactory, grant, make_place
from tests.oidc import client, start_provider
from tests.servers import free_port, start_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

# An officer's page of the back office: it needs the role and two-factor sign-in.
RULES = "/admin/work/places/shire/rules/"

ACCOUNTS = {
    "olu": {"email": "officer@council.example", "email_verified": False, "name": "Olu"},
    "stranger": {"email": "nobody@council.example", "name": "Nobody"},
    "rosa": {"email": "rosa@example.org", "email_verified": True, "name": "Rosa R"},
    "nia": {"email": "nia@example.org", "email_verified": True, "name": "Nia New"},
    "mallory-aud": {"email": "m1@example.org", "email_verified": True, "tamper": "aud"},
    "mallory-iss": {"email": "m2@example.org", "email_verified": True, "tamper": "iss"},
}


@pytest.fixture
def people(db, settings):
    county = make_place("Shire", PlaceKind.COUNTY)
    officer = UserFactory(email="officer@council.example", display_name="Olive")
    grant(officer, county, RoleKind.OFFICER)
    resident = UserFactory(email="rosa@example.org", display_name="Rosa")
    return {"county": county, "officer": officer, "resident": resident}


@pytest.fixture
def site():
    """Start a site whose sign-in offers the council's and the residents' providers
    (with `extra` settings), and the provider they both use."""
    running = []

    def _start(**extra):
        port, op_port = free_port(), free_port()
        base, issuer = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{op_port}"
        running.append(
            start_provider(
                op_port,
                [
                    client("nb-staff", "staff-secret", f"{base}/accounts/oidc/council/login/callback/"),
                    client("nb-residents", "res-secret", f"{base}/accounts/oidc/residents/login/callback/"),
                ],
                ACCOUNTS,
            )
        )  # fmt: skip
        env = {
            "NB_DEMO_MFA_EXEMPT": "0",
            "OIDC_STAFF_SERVER_URL": issuer,
            "OIDC_STAFF_CLIENT_ID": "nb-staff",
            "OIDC_STAFF_CLIENT_SECRET": "staff-secret",
            "OIDC_STAFF_NAME": "Shire Council",
            "OIDC_RESIDENTS_SERVER_URL": issuer,
            "OIDC_RESIDENTS_CLIENT_ID": "nb-residents",
            "OIDC_RESIDENTS_CLIENT_SECRET": "res-secret",
            "OIDC_RESIDENTS_NAME": "GOV.UK One Login",
            **extra,
        }
        running.append(start_server(port, "", f"nboidc{port}", extra_env=env))
        return base

    yield _start
    for proc in running:
        proc.terminate()
        proc.wait(timeout=10)


def sign_in_with(page, base, button, account, mfa=False):
    """From the site's sign-in page through the provider's login and back, as someone
    new to the browser (the provider remembers its sign-ins in cookies)."""
    page.context.clear_cookies()
    authorise = []
    page.on(
        "request",
        lambda r: authorise.append(r.url) if urlparse(r.url).path == "/auth" else None,
    )
    page.goto(f"{base}/accounts/login/")
    page.click(f"button:has-text('Sign in with {button}')")
    page.fill("input[name=login]", account)
    if mfa:
        page.check("input[name=mfa]")
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()
    return parse_qs(urlparse(authorise[0]).query)


def test_staff_and_residents_sign_in_with_the_councils_providers(
    people,
    site,
    browser,  # noqa: F811
):
    base = site()
    page = browser.new_context(viewport={"width": 1024, "height": 900}).new_page()
    page.goto(f"{base}/accounts/login/")
    assert page.inner_text("#provider-sign-in-heading") == "Or sign in with"
    check_axe(page, "the sign-in page with providers")
    shoot(page, "sign-in-providers")

    # An officer, with the provider's second factor: the code flow used PKCE, the
    # account was linked by its address, and the back office opens (no TOTP asked).
    asked = sign_in_with(page, base, "Shire Council", "olu", mfa=True)
    assert asked["code_challenge_method"] == ["S256"] and asked["code_challenge"]
    assert asked["client_id"] == ["nb-staff"]
    assert page.url == f"{base}/"
    link = SocialAccount.objects.get(user=people["officer"])
    assert (link.provider, link.uid) == ("council", "olu")
    page.goto(f"{base}{RULES}")
    assert page.url == f"{base}{RULES}"
    assert page.inner_text("h1") == "Framework rules: Shire"

    # Sign out: the back office asks for a sign-in again.
    page.goto(f"{base}/accounts/logout/")
    page.click("main form button[type=submit]")
    page.goto(f"{base}/admin/work/")
    assert page.url.startswith(f"{base}/admin/login/")

    # Without the provider's second factor the officer's role waits for our own.
    sign_in_with(page, base, "Shire Council", "olu")
    page.goto(f"{base}{RULES}")
    assert page.url == (
        f"{base}/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    )

    # The council's provider makes no accounts: staff are added here.
    sign_in_with(page, base, "Shire Council", "stranger")
    assert page.inner_text("h1") == "No account for this sign-in"
    assert not User.objects.filter(email="nobody@council.example").exists()

    # A resident's provider: Rosa's account found by her verified address...
    sign_in_with(page, base, "GOV.UK One Login", "rosa")
    assert page.url == f"{base}/"
    assert (
        SocialAccount.objects.get(provider="residents", uid="rosa").user
        == (people["resident"])
    )
    # ...and a new resident gets an account, address verified, name from the provider.
    sign_in_with(page, base, "GOV.UK One Login", "nia")
    made = User.objects.get(email="nia@example.org")
    assert made.display_name == "Nia New"
    assert EmailAddress.objects.get(user=made).verified
    assert not made.has_usable_password()

    # ID tokens meant for another service, or from another issuer: refused.
    for account in ("mallory-aud", "mallory-iss"):
        sign_in_with(page, base, "GOV.UK One Login", account)
        assert page.inner_text("h1") == "Sign-in not accepted"
        assert page.locator("a", has_text="Sign out").count() == 0
    assert not User.objects.filter(email__in=["m1@example.org", "m2@example.org"])
    check_axe(page, "a refused sign-in")


def test_a_council_can_require_staff_to_use_its_provider(people, site, browser):  # noqa: F811
    base = site(STAFF_SIGN_IN_REQUIRED="1")
    page = browser.new_context(viewport={"width": 1024, "height": 900}).new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", people["officer"].email)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("main form button[type=submit]")
    assert page.url == f"{base}/accounts/login/"
    assert (
        "Council staff sign in with Shire Council, not with a password here"
        in page.inner_text(".messages")
    )
    page.goto(f"{base}/admin/work/")
    assert page.url.startswith(f"{base}/admin/login/")
    # Residents still sign in with their password.
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", people["resident"].email)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("main form button[type=submit]")
    assert page.url == f"{base}/"
    # The officer with the council's provider is in.
    sign_in_with(page, base, "Shire Council", "olu", mfa=True)
    page.goto(f"{base}{RULES}")
    assert page.inner_text("h1") == "Framework rules: Shire"
