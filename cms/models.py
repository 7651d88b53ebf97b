"""The public site's pages. Live data (budgets, proposals, debate, voting, results) comes
from the apps through their selectors; pages add only editorial content."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyBlock
from .council import CouncilDetails  # noqa: F401 — one of this app's models


class HomePage(Page):
    """The front page: what is happening now, and finding your neighbourhood."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    max_count = 1
    subpage_types = ["cms.StandardPage", "cms.PlacePage", "cms.NewsIndexPage"]

    def get_context(self, request, *args, **kwargs):
        from .selectors import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context())
        return context


class StandardPage(Page):
    """A plain page: how it works, privacy, the accessibility statement."""

    intro = models.CharField(max_length=300, blank=True)
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    subpage_types = ["cms.StandardPage"]


class LiveDataPage(Page):
    """A page about a civic record: editors add an intro and blocks; the record's live
    data comes from its app. Subclasses name the record field."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    record_field = ""

    class Meta:
        abstract = True

    def clean(self):
        """One page per record in each language (its translations are the others)."""
        super().clean()
        record_id = getattr(self, f"{self.record_field}_id", None)
        if record_id is None:
            return
        clash = (
            type(self)
            .objects.filter(
                **{f"{self.record_field}_id": record_id}, locale_id=self.locale_id
            )
            .exclude(pk=self.pk)
        )
        if clash.exists():
            raise ValidationError(
                {
                    self.record_field: _(
                        "This already has a page in this language: edit that page, "
                        "or translate it."
                    )
                }
            )

    @classmethod
    def panels_for(cls, record_field: str):
        return [
            *Page.content_panels,
            FieldPanel(record_field),
            FieldPanel("intro"),
            FieldPanel("body"),
        ]


class PlacePage(LiveDataPage):
    """Editorial content about a place; its budget and rules come from the civic app."""

    # A ForeignKey, not one-to-one: the page's translations share the record.
    place = models.ForeignKey(
        "civic.Place", on_delete=models.PROTECT, related_name="pages"
    )
    record_field = "place"

    content_panels = LiveDataPage.panels_for("place")
    subpage_types = [
        "cms.PlacePage",
        "cms.ForumPage",
        "cms.NewsIndexPage",
        "cms.StandardPage",
    ]

    def get_context(self, request, *args, **kwargs):
        from civic.selectors import place_page

        context = super().get_context(request, *args, **kwargs)
        context.update(place_page(self.place))
        context["can_edit_rules"] = request.user.has_perm(
            "civic.change_rules", self.place
        )
        context["can_manage_roles"] = request.user.has_perm(
            "civic.manage_roles", self.place
        )
        context["can_view_audit"] = request.user.has_perm(
            "civic.view_audit", self.place
        )
        return context


class ForumPage(LiveDataPage):
    """Editorial content for a neighbourhood forum; the forum itself is live data."""

    forum = models.ForeignKey(
        "forums.Forum", on_delete=models.PROTECT, related_name="pages"
    )
    record_field = "forum"

    content_panels = LiveDataPage.panels_for("forum")
    subpage_types = ["cms.NewsIndexPage", "cms.StandardPage"]

    def get_context(self, request, *args, **kwargs):
        from forums.views import forum_context

        context = super().get_context(request, *args, **kwargs)
        context.update(forum_context(request, self.forum))
        return context


class NewsIndexPage(RoutablePageMixin, Page):
    """News for the whole site or for one forum, with an RSS feed at rss/."""

    intro = models.CharField(max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cms.NewsPage"]

    def items(self):
        return NewsPage.objects.live().descendant_of(self).order_by("-date", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["items"] = self.items()[:50]
        return context

    @path("rss/")
    def rss(self, request):
        from .feeds import news_feed

        return news_feed(request, self)


class NewsPage(Page):
    """A news item."""

    date = models.DateField(_("date"))
    intro = models.CharField(max_length=300)
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []
