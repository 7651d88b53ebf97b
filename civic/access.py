"""The one entry point views use to ask the permission module."""

from django.core.exceptions import PermissionDenied

from .middleware import LoginRequired, MfaRequired
from .permissions import ROLE_ONLY


def require(request, perm: str, obj=None) -> None:
    """Return quietly when allowed; otherwise raise what the middleware turns into
    a login redirect, an MFA set-up redirect, or a 403."""
    user = request.user
    if user.has_perm(perm, obj):
        return
    if not user.is_authenticated:
        raise LoginRequired
    role_check = ROLE_ONLY.get(perm)
    if role_check is not None and role_check.test(user, obj):
        raise MfaRequired
    raise PermissionDenied
