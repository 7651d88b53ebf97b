"""The civic back office in Wagtail: places, bodies, categories, budgets and roles."""

from django.utils.translation import gettext_lazy as _l
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_forms import PlaceAdminForm
from .admin_permissions import PlaceScopedPolicy, ScopedListingMixin
from .models import Budget, Category, Place, PublicBody, Role


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


class RoleViewSet(ScopedListingMixin, SnippetViewSet):
    model = Role

    panels = [FieldPanel(f) for f in ("user", "place", "kind", "verification_method")]
    icon = "user"
    list_display = ["user", "kind", "place", "granted_at"]
    list_filter = ["kind"]


class CivicGroup(SnippetViewSetGroup):
    menu_label = _l("Places & money")
    menu_icon = "site"
    menu_order = 200
    items = (
        PlaceViewSet,
        PublicBodyViewSet,
        CategoryViewSet,
        BudgetViewSet,
        RoleViewSet,
    )


# Policies first: the viewsets below ask for them when they are registered.
register_permission_policy(
    Place, PlaceScopedPolicy(Place, "path", officer_actions=("change", "view"))
)
register_permission_policy(
    PublicBody,
    PlaceScopedPolicy(PublicBody, "", officer_actions=("add", "change", "view")),
)
register_permission_policy(
    Category, PlaceScopedPolicy(Category, "", officer_actions=("add", "change", "view"))
)
register_permission_policy(Budget, PlaceScopedPolicy(Budget, "place__path"))
register_permission_policy(Role, PlaceScopedPolicy(Role, "place__path"))

register_snippet(CivicGroup)
