"""Reads for the public pages, from the apps below cms."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.models import Decision
from ballots import lifecycle
from ballots.models import BEFORE_VOTING, Cycle, Phase
from civic.forms import PostcodeForm
from civic.models import Place, Role, RoleKind
from civic.selectors import under_paths
from forums.models import Forum, Idea, IdeaStatus, Membership, MembershipStatus, Report


def home_context() -> dict:
    return {
        "open_cycles": list(
            Cycle.objects.filter(phase=Phase.VOTING, archived=False).select_related(
                "place"
            )[:6]
        ),
        "recent_results": list(
            Cycle.objects.filter(
                phase__in=[Phase.RESULTS, Phase.DELIVERY], archived=False
            ).select_related("place")[:4]
        ),
        "recent_decisions": list(
            Decision.objects.filter(published_at__isnull=False)
            .select_related("place")
            .order_by("-published_at")[:4]
        ),
        "postcode_form": PostcodeForm(),
        "counties": list(Place.get_root_nodes().exclude(slug="pabulib-archive")),
    }


def attention_items(user) -> list[dict]:
    """What needs the attention of an organiser, councillor or officer, for the Wagtail
    dashboard: each item links to the back-office view where the work is done."""
    roles = list(
        Role.objects.filter(user=user)
        .exclude(kind=RoleKind.RESIDENT)
        .select_related("place")
    )
    by_kind: dict[str, list[str]] = {}
    for role in roles:
        by_kind.setdefault(role.kind, []).append(role.place.path)
    items: list[dict] = []
    organised = by_kind.get(RoleKind.ORGANISER, [])
    moderated = organised + by_kind.get(RoleKind.COUNCILLOR, [])
    for forum in Forum.objects.filter(under_paths(organised, "place__path")).order_by(
        "name"
    ):
        ideas = Idea.objects.filter(forum=forum, status=IdeaStatus.SUBMITTED).count()
        if ideas:
            items.append(
                {
                    "text": _("%(n)s idea(s) to review in %(f)s")
                    % {"n": ideas, "f": forum.name},
                    "url": reverse("queue_idea:index")
                    + f"?forum={forum.pk}&status=submitted",
                }
            )
        pending = Membership.objects.filter(
            forum=forum, status=MembershipStatus.PENDING
        ).count()
        if pending:
            items.append(
                {
                    "text": _("%(n)s membership request(s) in %(f)s")
                    % {"n": pending, "f": forum.name},
                    "url": reverse("work:members", args=[forum.slug]),
                }
            )
    for forum in Forum.objects.filter(under_paths(moderated, "place__path")).order_by(
        "name"
    ):
        reports = Report.objects.filter(forum=forum, resolved_at__isnull=True).count()
        if reports:
            items.append(
                {
                    "text": _("%(n)s report(s) to moderate in %(f)s")
                    % {"n": reports, "f": forum.name},
                    "url": reverse("queue_report:index") + f"?forum={forum.pk}",
                }
            )
    councillor = by_kind.get(RoleKind.COUNCILLOR, [])
    for cycle in Cycle.objects.filter(
        under_paths(councillor, "place__path"),
        phase__in=[Phase.RESULTS, Phase.DELIVERY],
        archived=False,
    ):
        if not Decision.objects.filter(
            cycle=cycle, published_at__isnull=False
        ).exists():
            items.append(
                {
                    "text": _("Record the decision on %(c)s") % {"c": cycle.name},
                    "url": reverse("work:decision_new", args=[cycle.place.slug]),
                }
            )
    officer = by_kind.get(RoleKind.OFFICER, [])
    for cycle in Cycle.objects.filter(
        under_paths(officer, "place__path"), phase=Phase.COUNTING
    ):
        items.append(
            {
                "text": _("%(c)s is waiting to be counted and published")
                % {"c": cycle.name},
                "url": reverse("work:phase", args=[cycle.slug]),
            }
        )
    # A vote whose opening date has passed but which the pre-flight checks keep shut.
    for cycle in Cycle.objects.filter(
        under_paths(officer, "place__path"),
        phase__in=BEFORE_VOTING,
        voting_start__lte=timezone.now(),
        archived=False,
    ):
        problems = lifecycle.preflight_problems(cycle)
        if problems:
            items.append(
                {
                    "text": _("%(c)s should have opened but cannot: %(p)s")
                    % {"c": cycle.name, "p": problems[0]},
                    "url": reverse("work:phase", args=[cycle.slug]),
                }
            )
    return items
