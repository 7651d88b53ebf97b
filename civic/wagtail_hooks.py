"""The civic back office in Wagtail: places, bodies, categories, budgets and roles."""

from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_forms import PlaceAdminForm
from .models import Budget, Category, Place, PublicBody, Role


class PlaceViewSet(SnippetViewSet):
    model = Place
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


class BudgetViewSet(SnippetViewSet):
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
        InlinePanel("contributions", label="Contributions", min_num=1),
    ]


class RoleViewSet(SnippetViewSet):
    model = Role
    icon = "user"
    list_display = ["user", "kind", "place", "granted_at"]
    list_filter = ["kind"]


class CivicGroup(SnippetViewSetGroup):
    menu_label = "Places & money"
    menu_icon = "site"
    menu_order = 200
    items = (
        PlaceViewSet,
        PublicBodyViewSet,
        CategoryViewSet,
        BudgetViewSet,
        RoleViewSet,
    )


register_snippet(CivicGroup)
