"""The one entry point views use to ask the permission module."""

from django.core.exceptions import PermissionDenied

from .middleware import LoginRequired, MfaRequired
from .permissions import declared


def require(request, perm: str, obj=None) -> None:
    """Return quietly when allowed; otherwise raise what the middleware turns into
    a login redirect, an MFA set-up redirect, or a 403."""
    user = request.user
    if user.has_perm(perm, obj):
        return
    if not user.is_authenticated:
        raise LoginRequired
    if declared(perm).role_held_without_mfa(user, obj):
        raise MfaRequired
    raise PermissionDenied
