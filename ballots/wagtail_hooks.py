"""Cycles in the Wagtail back office. Phases are changed on the cycle page (a service
with its checks and log), not by editing the field."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _l
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from civic.admin_permissions import PlaceScopedPolicy, ScopedListingMixin
from civic.framework import resolve_rules
from civic.models import FrameworkRules
from civic.rule_descriptions import shortlist_text

from .admin_forms import CycleAdminForm, PollingPointAdminForm
from .models import Cycle, Phase, PollingPoint
from .services import supports


class CycleViewSet(ScopedListingMixin, SnippetViewSet):
    model = Cycle
    icon = "date"
    menu_label = _l("Cycles")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "place", "phase", "archived"]
    list_filter = ["phase", "archived"]
    search_fields = ["name"]
    base_form_class = CycleAdminForm
    panels = [
        FieldPanel("place"),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("ideas_start"),
                        FieldPanel("review_start"),
                        FieldPanel("supports_start"),
                        FieldPanel("shortlist_start"),
                    ]
                ),
                FieldRowPanel(
                    [FieldPanel("voting_start"), FieldPanel("counting_start")]
                ),
                FieldRowPanel(
                    [FieldPanel("results_start"), FieldPanel("delivery_start")]
                ),
            ],
            heading=_l("Phase dates (the cycle moves forward on these dates)"),
        ),
        InlinePanel("sections", label=_l("Budgets on the ballot"), min_num=1),
    ]


# Policies first: the viewsets below ask for them when they are registered.
register_permission_policy(
    Cycle, PlaceScopedPolicy(Cycle, "place__path", "ballots.manage_cycle")
)

register_snippet(CycleViewSet)


class PollingPointViewSet(ScopedListingMixin, SnippetViewSet):
    model = PollingPoint
    icon = "site"
    menu_label = _l("Polling points")
    menu_order = 215
    add_to_admin_menu = True
    list_display = ["name", "place", "address"]
    search_fields = ["name", "address"]
    base_form_class = PollingPointAdminForm
    panels = [
        FieldPanel("place"),
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("postcode"),
        FieldPanel("access"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("cycles"),
        InlinePanel("opening_times", label=_l("Opening times")),
    ]


register_permission_policy(
    PollingPoint,
    PlaceScopedPolicy(PollingPoint, "place__path", "ballots.manage_cycle"),
)
register_snippet(PollingPointViewSet)


@hooks.register("forum_page")
def current_cycle(forum) -> dict:
    """The forum page's current cycle: the place's latest that is not archived; and,
    while a vote collects supports for the forum's proposals, that vote, its rules
    and the public count of each proposal's supports."""
    open_cycle = supports.open_for(forum)
    return {
        "cycle": Cycle.objects.filter(place=forum.place, archived=False)
        .order_by("-created_at")
        .first(),
        "supports_cycle": open_cycle,
        "supports_rules": open_cycle.rules if open_cycle else None,
        "supports_shortlist_rule": shortlist_text(open_cycle.rules)
        if open_cycle
        else "",
        "support_counts": supports.counts(open_cycle) if open_cycle else {},
    }


@hooks.register("proposal_page")
def proposal_supports(proposal, user) -> dict:
    """The proposal page's supports: the vote collecting them, this proposal's count
    and whether the visitor supports it."""
    open_cycle = supports.open_for(proposal.forum)
    if open_cycle is None:
        return {}
    return {
        "supports_cycle": open_cycle,
        "support_counts": supports.counts(open_cycle),
        "my_supports": supports.mine(user, open_cycle),
    }


@hooks.register("forum_page_visitor")
def my_supports(forum, user, context) -> dict:
    """The visitor's own supports in the vote collecting them (signed in only)."""
    open_cycle = context.get("supports_cycle")
    if open_cycle is None or not user.is_authenticated:
        return {}
    mine = supports.mine(user, open_cycle)
    return {
        "my_supports": mine,
        "supports_left": max(0, open_cycle.rules["supports_per_resident"] - len(mine)),
    }


def _frozen_changes(cycle, now: dict) -> list[str]:
    """The rules `cycle` froze when voting opened that differ from `now`, by name."""

    return [
        str(FrameworkRules._meta.get_field(name).verbose_name)
        for name, value in (cycle.frozen_rules or {}).items()
        if name in now and now[name] != value
    ]


@hooks.register("open_votes")
def open_votes(place) -> list[dict]:
    """Votes open (or being counted) on the place or a place inside it, each with
    the rules it froze that differ from the rules in force at its place now."""

    return [
        {
            "cycle": cycle,
            "changed": _frozen_changes(cycle, resolve_rules(cycle.place).as_dict()),
        }
        for cycle in Cycle.objects.filter(
            archived=False,
            phase__in=[Phase.VOTING, Phase.COUNTING],
            sections__place__path__startswith=place.path,
        )
        .distinct()
        .select_related("place")
    ]


@hooks.register("place_page")
def votes_here(place, rules) -> dict:
    """The place page's votes: the cycles on whose ballot the place is, not yet
    delivering, with their dates (shown by the template's `cycle_timing`); and for an
    open one, which of the rules the page shows differ from those it froze."""
    cycles = list(
        Cycle.objects.filter(archived=False, sections__place=place)
        .exclude(phase=Phase.DELIVERY)
        .distinct()
        .order_by("-created_at")[:3]
    )
    now = rules.as_dict()
    frozen = [
        {"cycle": c, "changed": _frozen_changes(c, now)}
        for c in cycles
        if c.phase in (Phase.VOTING, Phase.COUNTING)
    ]
    return {
        "votes_here": cycles,
        "frozen_votes": [v for v in frozen if v["changed"]],
    }


@hooks.register("profile_page")
def poll_shifts(user) -> dict:
    """A poll officer's shifts not yet over, each with its desk."""
    return {
        "poll_shifts": list(
            user.poll_shifts.filter(ends_at__gt=timezone.now())
            .select_related("point")
            .order_by("starts_at")[:10]
        )
    }
