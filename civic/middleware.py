"""Turn permission outcomes that need a next step into helpful redirects."""

import logging

from csp.middleware import CSPMiddleware
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


class LoginRequired(Exception):
    """The action needs a signed-in user."""


class MfaRequired(Exception):
    """The user holds the role but has not set up two-factor authentication."""


class PermissionOutcomeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, LoginRequired):
            return redirect_to_login(request.get_full_path())
        if isinstance(exception, MfaRequired):
            messages.warning(
                request,
                _(
                    "Councillors and council officers must set up two-factor "
                    "authentication before they can act. Set it up below, then try again."
                ),
            )
            return redirect("mfa_activate_totp")
        return None


class IdentityProviderMiddleware:
    """Sign-in with the council's identity providers (civic/adapters.py): a session
    signed in through the council's provider with a multi-factor sign-in counts as
    two-factor for the roles that need it (civic.selectors.mfa_set_up); a provider
    that cannot be reached is said so on the sign-in page, not answered with an
    error page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .adapters import SESSION_PROVIDER_MFA

        if request.session.get(SESSION_PROVIDER_MFA):
            request.user.nb_provider_mfa = True
        return self.get_response(request)

    def process_exception(self, request, exception):
        from requests import RequestException

        if not isinstance(exception, RequestException):
            return None
        if not request.path.startswith("/accounts/oidc/"):
            return None
        log.warning("identity provider unreachable: %s", exception)
        messages.error(
            request,
            _(
                "The sign-in service cannot be reached just now. Try again in a few "
                "minutes, or sign in with your email address and password."
            ),
        )
        return redirect("account_login")


class DatabaseUnavailableMiddleware:
    """If the database goes away mid-request, answer 503 with a page that says so (and
    when to retry) instead of a bare 500; the next request reconnects."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError, close_old_connections
        from django.template.response import TemplateResponse

        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        import logging

        logging.getLogger(__name__).error("database unavailable: %s", exception)
        close_old_connections()
        response = TemplateResponse(request, "503.html", status=503)
        response["Retry-After"] = "30"
        return response.render()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The site's strict policy (scripts from our own origin only) on every page but the
    Wagtail admin's. Wagtail's own widgets (date pickers, choosers, inline panels)
    start themselves with inline scripts, and Wagtail cannot yet put a nonce on them,
    so there, and only there, inline scripts are allowed; every other directive stays
    as strict (no framing, no plugins, forms and connections to our origin only)."""

    admin_prefixes = ("/admin/",)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(self.admin_prefixes):
            parts.update = {**(parts.update or {}), "script-src": ["'unsafe-inline'"]}
        return parts
