"""Who may do what, as composed predicates (django-rules).

Every view asks `user.has_perm("<app>.<action>", obj)` (or `civic.access.require`). Each
permission is declared once, with `declare`, in the `permissions.py` of the app that owns
what it guards; that one declaration gives the django-rules predicate, the "set up
two-factor sign-in" answer for councillors and officers who have not, and the role kinds
by which the back office scopes its listings. A role held on a place applies to every
place below it.
"""

from __future__ import annotations

import rules
from allauth.account.models import EmailAddress

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


@rules.predicate
def is_resident(user, obj=None) -> bool:
    return RoleKind.RESIDENT in roles_on(user, place_of(obj))


@rules.predicate
def has_verified_email(user) -> bool:
    return (
        user.is_authenticated
        and EmailAddress.objects.filter(user=user, verified=True).exists()
    )


is_authenticated = rules.is_authenticated
always_allow = rules.always_allow
# A verified resident of the object's place (members of its forums).
member = is_authenticated & has_verified_email & is_resident

ORGANISER, COUNCILLOR, OFFICER = (
    RoleKind.ORGANISER,
    RoleKind.COUNCILLOR,
    RoleKind.OFFICER,
)
# Councillors and officers act only once two-factor sign-in is set up.
MFA_ROLES = frozenset({COUNCILLOR, OFFICER})


class Declared(rules.Predicate):
    """A permission as declared once, by `declare`: the django-rules predicate, and
    what the rest of the platform derives from it: the role kinds that grant it (the
    back office scopes its listings by them), and whether a refusal should send a
    councillor or officer to set up two-factor sign-in rather than say 403."""

    def __init__(self, name, predicate, roles, on_top_place):
        super().__init__(predicate, name=name)
        self.roles = roles
        self.on_top_place = on_top_place

    def role_held_without_mfa(self, user, obj=None) -> bool:
        """The user holds a role that grants this permission and needs two-factor."""
        return bool(
            self.roles & MFA_ROLES & _roles_for(user, obj, self.on_top_place)
        ) and not mfa_set_up(user)


def _roles_for(user, obj, on_top_place: bool) -> set[str]:
    if on_top_place:
        return {kind for path, kind in held_roles(user) if len(path) == Place.steplen}
    return roles_on(user, place_of(obj))


def declare(
    name: str,
    *,
    roles=(),
    others=None,
    when=None,
    on_top_place: bool = False,
) -> Declared:
    """Declare the permission `name` ("<app>.<action>"), once, in the permissions
    module of the app that owns what it guards:

    - `roles`: the role kinds that grant it on the object's place (or any place
      above); councillors and officers also need two-factor sign-in;
    - `others`: a predicate for whoever else may (the public, an author, a member);
    - `when`: a condition everyone needs (a thread still open for comments);
    - `on_top_place`: the role counts only on a top place of the tree (the council
      itself), whatever the object.
    """
    roles = frozenset(roles)
    if not roles and others is None:
        raise ValueError(f"{name}: say who may (roles or others)")

    def by_role(user, obj=None) -> bool:
        held = _roles_for(user, obj, on_top_place) & roles
        if held - MFA_ROLES:
            return True
        return bool(held) and mfa_set_up(user)

    granted = is_authenticated & rules.predicate(by_role, name=f"{name}:roles")
    if others is not None:
        granted = others | granted if roles else others
    if when is not None:
        granted = granted & when
    declared = Declared(name, granted, roles, on_top_place)
    rules.add_perm(name, declared)  # django-rules refuses a second declaration
    return declared


def declared(name: str) -> Declared:
    """The declaration of `name` (KeyError if it was never declared)."""
    rule = rules.permissions.permissions[name]
    if not isinstance(rule, Declared):
        raise TypeError(f"{name} was added to django-rules without `declare`")
    return rule


@rules.predicate
def has_staff_role(user) -> bool:
    """Organisers, councillors and officers (anywhere) use the Wagtail back office."""
    return any(kind != RoleKind.RESIDENT for _path, kind in held_roles(user))


declare("civic.view_place", others=always_allow)
declare("civic.change_rules", roles=[OFFICER])
declare("civic.change_budget", roles=[OFFICER])
declare("civic.change_boundaries", roles=[OFFICER])
declare("civic.manage_roles", roles=[OFFICER])
# Public bodies and categories, shared by every place: any officer keeps them.
declare("civic.keep_reference_data", roles=[OFFICER])
declare("civic.view_audit", roles=[COUNCILLOR, OFFICER])
declare("civic.edit_profile", others=is_authenticated)
declare("wagtailadmin.access_admin", others=has_staff_role)
