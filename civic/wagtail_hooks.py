"""The civic back office in Wagtail: places, bodies, categories, budgets and roles."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from . import services
from .admin_forms import PlaceAdminForm, RoleAdminForm
from .admin_permissions import PlaceScopedPolicy, ScopedListingMixin, scoped_edit_view
from .audit import audit_record
from .models import Budget, Category, CilReceipt, Place, PublicBody, Role


class PlaceViewSet(ScopedListingMixin, SnippetViewSet):
    model = Place
    # Officers edit their places; adding places to the tree is for administrators.
    icon = "site"
    list_display = ["name", "kind", "slug"]
    search_fields = ["name", "slug"]
    ordering = ["path"]
    edit_handler = ObjectList(
        [
            FieldPanel("parent"),
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldPanel("kind"),
            FieldPanel("gss_code"),
            FieldPanel("summary"),
            FieldPanel("postcode_areas"),
        ],
        base_form_class=PlaceAdminForm,
    )


class PublicBodyViewSet(SnippetViewSet):
    model = PublicBody
    icon = "group"
    list_display = ["name", "kind"]
    search_fields = ["name"]


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    list_display = ["name", "slug"]


class BudgetViewSet(ScopedListingMixin, SnippetViewSet):
    model = Budget
    icon = "form"
    list_display = ["name", "place", "period_start", "period_end"]
    list_filter = ["place"]
    panels = [
        FieldPanel("place"),
        FieldPanel("name"),
        FieldPanel("period_start"),
        FieldPanel("period_end"),
        FieldPanel("notes"),
        InlinePanel("contributions", label=_l("Contributions"), min_num=1),
    ]


class CilReceiptSaving:
    """A CIL receipt is saved through `cil_receipt_save`, which works out its area's
    portions for the year again; a refusal is shown on the form, nothing saved."""

    def save_instance(self):
        return services.cil_receipt_save(self.form.instance)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class CilReceiptCreateView(CilReceiptSaving, CreateView):
    pass


class CilReceiptEditView(CilReceiptSaving, scoped_edit_view()):
    pass


class CilReceiptViewSet(ScopedListingMixin, SnippetViewSet):
    model = CilReceipt
    icon = "doc-full"
    menu_label = _l("CIL receipts")
    add_view_class = CilReceiptCreateView
    edit_view_class = CilReceiptEditView
    list_display = [
        "place",
        Column("period_label", label=_l("Half-year")),
        Column("received", label=_l("CIL received")),
        Column("portion_amount", label=_l("Neighbourhood portion")),
        "charging_authority",
    ]
    list_filter = ["financial_year", "place"]
    panels = [
        FieldPanel("place"),
        FieldPanel("charging_authority"),
        FieldPanel("financial_year"),
        FieldPanel("half"),
        FieldPanel("receipts_pence"),
        FieldPanel("dwellings"),
        FieldPanel("neighbourhood_plan"),
        FieldPanel("developments"),
    ]


@hooks.register("after_delete_snippet", order=20)
def cil_portions_after_a_receipt_is_deleted(request, instances):
    """The other half of a deleted receipt's year may take more of the cap."""
    for instance in instances:
        if isinstance(instance, CilReceipt):
            services.cil_portions_update(instance.place_id, instance.financial_year)


class RoleCreateView(CreateView):
    """Giving a role in the admin is `role_grant`: validated and in the audit log."""

    def save_instance(self):
        data = self.form.cleaned_data
        return services.role_grant(
            actor=self.request.user,
            user=data["user"],
            place=data["place"],
            kind=data["kind"],
            verification_method=data.get("verification_method") or "",
        )


class RoleEditView(scoped_edit_view()):
    def save_instance(self):
        data = self.form.cleaned_data
        # The form has already set the new values on the instance; the service saves
        # them, so it compares against the row as stored.
        role = Role.objects.select_for_update().get(pk=self.form.instance.pk)
        return services.role_change(
            actor=self.request.user,
            role=role,
            place=data["place"],
            kind=data["kind"],
            verification_method=data.get("verification_method") or "",
        )


class RoleViewSet(ScopedListingMixin, SnippetViewSet):
    model = Role

    panels = [FieldPanel(f) for f in ("user", "place", "kind", "verification_method")]
    base_form_class = RoleAdminForm
    add_view_class = RoleCreateView
    edit_view_class = RoleEditView
    icon = "user"
    list_display = ["user", "kind", "place", "granted_at"]
    list_filter = ["kind", "place"]


@hooks.register("before_delete_snippet")
def revoke_roles_through_the_service(request, instances):
    """Removing roles in the admin (one, or several at once) is `role_revoke`, so each
    removal is in the audit log. GET shows Wagtail's confirmation page as usual."""
    if request.method != "POST" or not all(isinstance(i, Role) for i in instances):
        return None
    for role in instances:
        services.role_revoke(actor=request.user, role=role)
    messages.success(request, _("%(n)d role(s) removed.") % {"n": len(instances)})
    return redirect("wagtailsnippets_civic_role:list")


# Every write made through a snippet in the admin is in the hash-chained audit log, as
# every write through a service is (roles go through their services: above). Any app's
# snippets: forums and cycles too.


def _audit_admin_write(request, instance, verb: str, place=None):

    if isinstance(instance, Role):
        return  # role_grant / role_revoke recorded it
    place = place if place is not None else _place_of(instance)
    audit_record(
        actor=request.user,
        action=f"admin.{verb}",
        target=instance,
        place=place,
        summary=_("%(model)s “%(name)s” %(verb)s in the admin")
        % {
            "model": instance._meta.verbose_name,
            "name": str(instance)[:200],
            "verb": {
                "create": _("added"),
                "edit": _("changed"),
                "delete": _("deleted"),
            }[verb],
        },
        data={"model": instance._meta.label_lower},
    )


def _place_of(instance):
    if isinstance(instance, Place):
        return instance
    place = getattr(instance, "place", None)
    return place if isinstance(place, Place) else None


@hooks.register("after_create_snippet")
def audit_snippet_created(request, instance):
    _audit_admin_write(request, instance, "create")


@hooks.register("after_edit_snippet")
def audit_snippet_changed(request, instance):
    _audit_admin_write(request, instance, "edit")


@hooks.register("before_delete_snippet", order=10)
def note_snippets_being_deleted(request, instances):
    """Deleting clears the primary keys: what is deleted is noted before, and audited
    once the deletion went through (after_delete_snippet)."""
    if request.method == "POST":
        request._nb_deleting = [(i, i.pk, _place_of(i)) for i in instances]


@hooks.register("after_delete_snippet")
def audit_snippets_deleted(request, instances):
    for instance, pk, place in getattr(request, "_nb_deleting", []):
        instance.pk = pk  # deleting cleared it; the log names what was deleted
        _audit_admin_write(request, instance, "delete", place=place)


class CivicGroup(SnippetViewSetGroup):
    menu_label = _l("Places & money")
    menu_icon = "site"
    menu_order = 200
    items = (
        PlaceViewSet,
        PublicBodyViewSet,
        CategoryViewSet,
        BudgetViewSet,
        CilReceiptViewSet,
        RoleViewSet,
    )


# Policies first: the viewsets below ask for them when they are registered.
register_permission_policy(
    Place,
    PlaceScopedPolicy(
        Place, "path", "civic.change_boundaries", actions=("change", "view")
    ),
)
register_permission_policy(
    PublicBody,
    PlaceScopedPolicy(
        PublicBody, "", "civic.keep_reference_data", actions=("add", "change", "view")
    ),
)
register_permission_policy(
    Category,
    PlaceScopedPolicy(
        Category, "", "civic.keep_reference_data", actions=("add", "change", "view")
    ),
)
register_permission_policy(
    Budget, PlaceScopedPolicy(Budget, "place__path", "civic.change_budget")
)
register_permission_policy(
    CilReceipt, PlaceScopedPolicy(CilReceipt, "place__path", "civic.change_budget")
)
register_permission_policy(
    Role, PlaceScopedPolicy(Role, "place__path", "civic.manage_roles")
)

register_snippet(CivicGroup)
