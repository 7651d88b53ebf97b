"""Who may do what, as composed predicates (django-rules).

Every view asks `user.has_perm("<app>.<action>", obj)`; this module and the other apps'
`permissions.py` are the only places that answer. A role held on a place applies to every
place below it. Councillors and officers must have set up two-factor authentication
(allauth MFA) before any of their actions is allowed.
"""

from __future__ import annotations

import rules

from .models import Place, RoleKind
from .selectors import held_roles, mfa_set_up


def place_of(obj) -> Place | None:
    """The place an object belongs to: a Place, or anything with `.place`."""
    if obj is None:
        return None
    if isinstance(obj, Place):
        return obj
    place = getattr(obj, "place", None)
    if place is None and hasattr(obj, "get_place"):
        place = obj.get_place()
    return place


def roles_on(user, place: Place) -> set[str]:
    """Role kinds `user` holds on `place` or above: a role covers the places whose path
    starts with its place's path, as `Role.objects.covering` does in SQL."""
    if place is None:
        return set()
    return {kind for path, kind in held_roles(user) if place.path.startswith(path)}


def has_role(kind: str):
    @rules.predicate(name=f"is_{kind}")
    def predicate(user, obj=None) -> bool:
        return kind in roles_on(user, place_of(obj))

    return predicate


is_resident = has_role(RoleKind.RESIDENT)
is_organiser = has_role(RoleKind.ORGANISER)
is_councillor = has_role(RoleKind.COUNCILLOR)
is_officer = has_role(RoleKind.OFFICER)


@rules.predicate
def has_verified_email(user) -> bool:
    if not user.is_authenticated:
        return False
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


has_mfa = rules.predicate(mfa_set_up, name="has_mfa")


is_authenticated = rules.is_authenticated

# Role checks without MFA: used to tell a councillor or officer that they need to set
# up two-factor authentication, rather than that they have no access.
ROLE_ONLY = {
    "civic.record_decision": is_councillor,
    "civic.change_rules": is_officer,
    "civic.change_budget": is_officer,
    "civic.change_boundaries": is_officer,
    "civic.manage_roles": is_officer,
    "civic.view_audit": is_councillor | is_officer,
}

rules.add_perm("civic.view_place", rules.always_allow)
rules.add_perm("civic.change_rules", is_authenticated & is_officer & has_mfa)
rules.add_perm("civic.change_budget", is_authenticated & is_officer & has_mfa)
rules.add_perm("civic.change_boundaries", is_authenticated & is_officer & has_mfa)
rules.add_perm("civic.manage_roles", is_authenticated & is_officer & has_mfa)
rules.add_perm(
    "civic.view_audit", is_authenticated & (is_councillor | is_officer) & has_mfa
)
rules.add_perm("civic.edit_profile", is_authenticated)


@rules.predicate
def is_council_officer(user) -> bool:
    """An officer of a top place of the tree (the council itself, not one area)."""
    return any(
        kind == RoleKind.OFFICER and len(path) == Place.steplen
        for path, kind in held_roles(user)
    )


# The council's details (named by the privacy notice and accessibility statement).
rules.add_perm(
    "cms.change_councildetails", is_authenticated & is_council_officer & has_mfa
)
ROLE_ONLY["cms.change_councildetails"] = is_council_officer
rules.add_perm("civic.record_decision", is_authenticated & is_councillor & has_mfa)


@rules.predicate
def is_published(user, decision) -> bool:
    return getattr(decision, "published_at", None) is not None


rules.add_perm(
    "civic.view_decision",
    is_published | (is_authenticated & (is_councillor | is_officer)),
)
rules.add_perm("civic.view_report", rules.always_allow)


@rules.predicate
def has_staff_role(user) -> bool:
    """Organisers, councillors and officers (anywhere) use the Wagtail back office."""
    return any(kind != RoleKind.RESIDENT for _path, kind in held_roles(user))


rules.add_perm("wagtailadmin.access_admin", has_staff_role)
