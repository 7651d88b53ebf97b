"""Wagtail admin permissions wired to civic roles.

Council officers (with two-factor authentication) manage the records of the places their
role covers, and nothing else; superusers manage everything. Every check goes through
the same role predicates as the public pages (civic/permissions.py).
"""

from __future__ import annotations

from django.utils.functional import cached_property
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permission_policies import ModelPermissionPolicy

from .models import Place, RoleKind
from .permissions import declared
from .selectors import role_paths, under_paths


def officer_paths(user) -> list[str]:
    return role_paths(user, [RoleKind.OFFICER])


class PlaceScopedPolicy(ModelPermissionPolicy):
    """The `actions` on the records of the places where the user holds a role that
    grants `perm` (a permission's name, or a callable giving several, asked when first
    needed): the role kinds come from the permission's one declaration. Superusers may
    do anything, or only `superuser_actions` when given. `path_field` is the lookup to
    the record's place path ('' for shared reference data such as public bodies, which
    any holder of such a role may keep up to date)."""

    def __init__(
        self,
        model,
        path_field: str,
        perm,
        actions=("add", "change", "delete", "view"),
        superuser_actions=None,
    ):
        super().__init__(model)
        self.path_field = path_field
        self.perm = perm
        self.officer_actions = set(actions)
        self.superuser_actions = superuser_actions and set(superuser_actions)

    @cached_property
    def kinds(self) -> frozenset[str]:
        names = self.perm() if callable(self.perm) else [self.perm]
        return frozenset().union(*(declared(name).roles for name in names))

    def _superuser(self, user, actions) -> bool:
        return user.is_superuser and (
            self.superuser_actions is None
            or bool(self.superuser_actions & set(actions))
        )

    def _paths(self, user) -> list[str]:
        return role_paths(user, self.kinds)

    def _officer(self, user, action) -> bool:
        return action in self.officer_actions and bool(self._paths(user))

    def user_has_permission(self, user, action):
        return user.is_active and (
            self._superuser(user, [action]) or self._officer(user, action)
        )

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        qs = self.model._default_manager.all()
        if user.is_superuser:
            return qs if self._superuser(user, actions) else qs.none()
        actions = [a for a in actions if a in self.officer_actions]
        paths = self._paths(user)
        if not actions or not paths:
            return qs.none()
        return (
            qs
            if not self.path_field
            else qs.filter(under_paths(paths, self.path_field))
        )

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.instances_user_has_permission_for(user, action)
            .filter(pk=instance.pk)
            .exists()
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return (
            self.instances_user_has_any_permission_for(user, actions)
            .filter(pk=instance.pk)
            .exists()
        )


class ScopedForm(WagtailAdminModelForm):
    """Limits every choice of place to the officer's own places, in the form and in
    each inline form (the blank one that "add" copies included); a subclass narrows
    its inline forms further in `scope_child`."""

    place_fields = ("place", "parent")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and not user.is_superuser:
            self.places = Place.objects.filter(under_paths(officer_paths(user), "path"))
            for name in self.place_fields:
                if name in self.fields:
                    self.fields[name].queryset = self.places
        else:
            self.places = None
        for formset in getattr(self, "formsets", {}).values():
            for form in formset.forms:
                self.scope_child(form)
            _scope_blank_form(formset, self.scope_child)

    def scope_child(self, form) -> None:
        if self.places is not None and "place" in form.fields:
            form.fields["place"].queryset = self.places


def _scope_blank_form(formset, scope) -> None:
    """The formset's blank form (made anew each time it is asked for) scoped too."""
    base = type(formset)

    class Scoped(base):
        @property
        def empty_form(self):
            form = super().empty_form
            scope(form)
            return form

    formset.__class__ = Scoped


class ScopedListingMixin:
    """Snippet listings show only the records the user's roles cover, editing one
    outside them is refused, and the `panels` form offers only the user's places."""

    base_form_class = ScopedForm

    def get_edit_handler(self):
        if not hasattr(self, "edit_handler") and hasattr(self, "panels"):
            from wagtail.admin.panels import ObjectList

            edit_handler = ObjectList(self.panels, base_form_class=self.base_form_class)
            return edit_handler.bind_to_model(self.model)
        return super().get_edit_handler()

    @property
    def edit_view_class(self):
        return scoped_edit_view()

    def get_queryset(self, request):
        from wagtail.permissions import policy_registry

        policy = policy_registry.get_by_type(self.model)
        return policy.instances_user_has_any_permission_for(
            request.user, ["change", "view"]
        )


def scoped_edit_view():
    """The snippet edit view, refusing records outside the user's places."""
    from django.core.exceptions import PermissionDenied
    from wagtail.snippets.views.snippets import EditView

    class ScopedEditView(EditView):
        def get_object(self, queryset=None):
            obj = super().get_object(queryset)
            if not self.user_has_permission_for_instance("change", obj):
                raise PermissionDenied
            return obj

    return ScopedEditView
