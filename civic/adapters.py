"""django-allauth customisation: one adapter for accounts, one for sign-in with the
council's OpenID Connect providers (docs/sign-in-with-the-councils-identity-provider.md)."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from .models import RoleKind, User
from .selectors import held_roles

# The provider id of the council's staff sign-in (config/settings.py).
STAFF_PROVIDER = "council"
# What the session remembers of how its person signed in.
SESSION_PROVIDER = "nb_signed_in_with"
SESSION_PROVIDER_MFA = "nb_provider_mfa"


def is_staff_person(user) -> bool:
    """Administrators, officers and councillors: the people a council can require to
    sign in with its own identity provider."""
    return user.is_superuser or any(
        kind in (RoleKind.OFFICER, RoleKind.COUNCILLOR) for _p, kind in held_roles(user)
    )


def provider_mfa(sociallogin) -> bool:
    """Whether the council's provider says this sign-in used more than one factor
    (the ID token's "amr", RFC 8176), where the council lets that count."""
    if sociallogin is None or sociallogin.account.provider != STAFF_PROVIDER:
        return False
    if not settings.NB_STAFF_MFA_FROM_PROVIDER:
        return False
    claims = sociallogin.account.extra_data.get("id_token") or {}
    amr = claims.get("amr") or []
    return bool(
        set(amr if isinstance(amr, list) else [amr]) & set(settings.NB_STAFF_MFA_AMR)
    )


def staff_provider() -> dict | None:
    """The council's staff provider as configured, if it is."""
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    return next((a for a in apps if a.get("provider_id") == STAFF_PROVIDER), None)


def staff_must_use_provider() -> bool:
    """Whether staff must sign in with the council's provider: where the council
    requires it and the provider is set up (so it can never lock staff out)."""
    return settings.NB_STAFF_SIGN_IN_REQUIRED and staff_provider() is not None


class AccountAdapter(DefaultAccountAdapter):
    def pre_login(self, request, user, **kwargs):
        """Where the council requires it, staff sign in with its provider only."""
        refused = super().pre_login(request, user, **kwargs)
        if refused is not None:
            return refused
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        provider = sociallogin.account.provider if sociallogin else ""
        if (
            staff_must_use_provider()
            and provider != STAFF_PROVIDER
            and is_staff_person(user)
        ):
            messages.error(
                request,
                _(
                    "Council staff sign in with %(provider)s, not with a password "
                    "here: use the button below."
                )
                % {"provider": staff_provider()["name"]},
            )
            return redirect("account_login")
        return None

    def post_login(self, request, user, **kwargs):
        """Remember how this session signed in: with which provider, and whether the
        council's provider vouched for a multi-factor sign-in."""
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        request.session[SESSION_PROVIDER] = (
            sociallogin.account.provider if sociallogin else ""
        )
        request.session[SESSION_PROVIDER_MFA] = provider_mfa(sociallogin)
        return super().post_login(request, user, **kwargs)

    def login(self, request, user):
        """Sign in, and remember the language the person was reading the site in
        (chosen before signing in, or by a /cy/ address) when they have none yet: their
        emails and personal-data download say it."""
        super().login(request, user)
        language = translation.get_language() or ""
        if not user.language and language in dict(settings.LANGUAGES):
            user.language = language
            user.save(update_fields=["language"])


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        """The council's staff provider signs in existing accounts only: staff
        accounts and their roles are given here, never made by a sign-in."""
        if sociallogin.account.provider == STAFF_PROVIDER:
            return False
        return super().is_open_for_signup(request, sociallogin)

    def pre_social_login(self, request, sociallogin):
        """A staff sign-in links to the account with the same email address: the
        council's own directory vouches for its staff's addresses (which Microsoft
        Entra ID, for one, does not mark as verified)."""
        if sociallogin.is_existing or sociallogin.account.provider != STAFF_PROVIDER:
            return
        email = (sociallogin.user.email or "").strip()
        user = User.objects.filter(email__iexact=email).first() if email else None
        if user is not None:
            sociallogin.connect(request, user)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        if name and not user.display_name:
            user.display_name = name[: User._meta.get_field("display_name").max_length]
        return user
