"""Wagtail admin hooks: fresh cached page links, the dashboard panel, the work queues,
back-office buttons on snippet rows, and the back-office stylesheet."""

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _l
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.signals import page_published, page_unpublished

from ballots.models import Phase
from civic.work_queues import permission_of

from .context_processors import footer_key
from .selectors import attention_items


def _forget_footer(**kwargs):
    cache.delete_many([footer_key(code) for code, _name in settings.LANGUAGES])


page_published.connect(_forget_footer)
page_unpublished.connect(_forget_footer)


class AttentionPanel(Component):
    name = "attention"
    order = 50

    def __init__(self, user):
        self.user = user

    def render_html(self, parent_context=None):
        return render_to_string(
            "cms/admin/attention_panel.html", {"items": attention_items(self.user)}
        )


@hooks.register("construct_homepage_panels")
def add_attention_panel(request, panels):
    panels.insert(0, AttentionPanel(request.user))


@hooks.register("register_admin_viewset")
def register_work_queues():
    from .backoffice import NeighbourhoodWork

    return NeighbourhoodWork()


@hooks.register("construct_main_menu")
def organisers_see_their_work(request, menu_items):
    """Someone who edits no pages (an organiser, a councillor) is not offered the page
    explorer or the page search: their work is under "Your work" and the snippets.
    (The dashboard's page search asks the same question: templates/wagtailadmin/home.html.)"""
    from .templatetags.backoffice_tags import edits_pages

    if edits_pages(request.user):
        return
    menu_items[:] = [i for i in menu_items if i.name not in ("explorer", "search")]


@hooks.register("insert_global_admin_css")
def backoffice_css():
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("cms/admin.css"))


# The back-office actions of a place, forum or cycle, from its snippet listing row (each
# shown only to those the permission module allows).
def _voting(cycle) -> bool:
    return cycle.phase == Phase.VOTING


SNIPPET_ACTIONS = {
    "place": [
        (_l("Framework rules"), "work:rules", None),
        (_l("Map boundaries"), "work:boundaries", None),
        (_l("Record a decision"), "work:decision_new", None),
        (_l("Money report"), "work:report", None),
        (_l("CIL neighbourhood portion"), "work:cil", None),
    ],
    "forum": [
        (_l("Membership requests"), "work:members", None),
        (_l("Verification codes"), "work:codes", None),
    ],
    "cycle": [
        (_l("Phase and count"), "work:phase", None),
        (_l("Paper ballots"), "work:paper", _voting),
    ],
}


@hooks.register("register_snippet_listing_buttons")
def backoffice_snippet_buttons(snippet, user, next_url=None):
    from django.urls import reverse
    from wagtail.admin.ui.menus import MenuItem

    actions = SNIPPET_ACTIONS.get(snippet._meta.model_name, ())
    for label, url_name, when in actions:
        if (when is None or when(snippet)) and user.has_perm(
            permission_of(url_name), snippet
        ):
            yield MenuItem(label, reverse(url_name, args=[snippet.slug]), priority=5)
