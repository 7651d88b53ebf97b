"""Forums in the Wagtail back office: officers open and edit the forums of their places;
membership, codes, ideas and moderation are under "Neighbourhood work"."""

from django.utils.translation import gettext_lazy as _l
from wagtail.admin.panels import FieldPanel
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from civic.admin_permissions import PlaceScopedPolicy, ScopedListingMixin

from .models import Forum


class ForumViewSet(ScopedListingMixin, SnippetViewSet):
    model = Forum
    icon = "group"
    menu_label = _l("Forums")
    menu_order = 205
    add_to_admin_menu = True
    list_display = ["name", "place", "slug"]
    search_fields = ["name"]
    ordering = ["name"]
    panels = [FieldPanel(f) for f in ("place", "name", "slug", "intro")]


# Officers add and change forums in their places; deleting one is for administrators.
register_permission_policy(
    Forum,
    PlaceScopedPolicy(
        Forum, "place__path", "forums.set_up_forum", actions=("add", "change", "view")
    ),
)
register_snippet(ForumViewSet)
