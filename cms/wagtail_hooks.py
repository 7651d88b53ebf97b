"""Keep cached page links fresh."""

from django.conf import settings
from django.core.cache import cache
from wagtail.signals import page_published, page_unpublished

from .context_processors import footer_key


def _forget_footer(**kwargs):
    cache.delete_many([footer_key(code) for code, _name in settings.LANGUAGES])


page_published.connect(_forget_footer)
page_unpublished.connect(_forget_footer)


from django.template.loader import render_to_string  # noqa: E402
from wagtail import hooks  # noqa: E402
from wagtail.admin.ui.components import Component  # noqa: E402


class AttentionPanel(Component):
    name = "attention"
    order = 50

    def __init__(self, user):
        self.user = user

    def render_html(self, parent_context=None):
        from .attention import attention_items

        return render_to_string(
            "cms/admin/attention_panel.html", {"items": attention_items(self.user)}
        )


@hooks.register("construct_homepage_panels")
def add_attention_panel(request, panels):
    panels.insert(0, AttentionPanel(request.user))


@hooks.register("register_admin_viewset")
def register_work_queues():
    from .admin_queues import NeighbourhoodWork

    return NeighbourhoodWork()


@hooks.register("insert_global_admin_css")
def backoffice_css():
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("cms/admin.css"))
