"""Reads in the civic domain, shaped for pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from wagtail import hooks

from .framework import EffectiveRules, resolve_rules
from .models import (
    BallotMethod,
    Budget,
    Category,
    Contribution,
    FrameworkRules,
    Place,
    TallyRule,
    VerificationMethod,
    VotingScope,
    normalise_postcode,
    postcode_in_area,
)
from .money import pounds


def under_paths(paths, field: str = "path"):
    """A filter for records whose place lies at or below any of `paths` (tree paths)."""
    from django.db.models import Q

    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def held_roles(user) -> list[tuple[str, str]]:
    """(place path, role kind) for every role `user` holds: one query per request,
    cached on the user object, shared by the permission rules and the admin scoping."""
    from .models import Role

    if not user.is_authenticated:
        return []
    held = user.__dict__.get("_nb_roles")
    if held is None:
        held = user.__dict__["_nb_roles"] = list(
            Role.objects.filter(user=user).values_list("place__path", "kind")
        )
    return held


def role_paths(user, kinds) -> list[str]:
    """Tree paths of the places where `user` holds one of `kinds`. Councillor and
    officer roles count only once two-factor authentication is set up."""
    from .models import RoleKind
    from .permissions import has_mfa

    if not user.is_authenticated:
        return []
    kinds = set(kinds)
    needs_mfa = {RoleKind.COUNCILLOR, RoleKind.OFFICER}
    if kinds & needs_mfa and not has_mfa.test(user):
        kinds -= needs_mfa
    return list(dict.fromkeys(path for path, kind in held_roles(user) if kind in kinds))


def page_of(record):
    """The Wagtail page for a place or forum, if the cms made one: its published
    translation in the active language when there is one, else the original."""
    from django.utils.translation import get_language
    from wagtail.coreutils import get_supported_content_language_variant

    pages = getattr(record, "pages", None)
    if pages is None:
        return None
    found = sorted(pages.select_related("locale"), key=lambda page: page.pk)
    if not found:
        return None
    language = get_supported_content_language_variant(get_language())
    for page in found:
        if page.live and page.locale.language_code == language:
            return page
    return found[0]


def chart_bars(
    rows: list[dict], key: str, width: int = 560, row_height: int = 40
) -> list[dict]:
    """Geometry for the server-rendered SVG bar charts: the largest value is `width`
    wide, one row every `row_height` px (the page shows the same figures in a table)."""
    top = max((r[key] for r in rows), default=0) or 1
    for i, r in enumerate(rows):
        r["bar_pct"] = round(100 * r[key] / top, 1)
        r["bar_w"] = round(width * r[key] / top)
        r["y"] = i * row_height
    return rows


def place_roots():
    return Place.get_root_nodes()


def place_tree() -> list[Place]:
    """Every place in tree order (depth-first), for the home page's list."""
    return list(Place.get_tree())


def place_by_postcode(postcode: str) -> Place | None:
    """The most specific place whose postcode areas contain `postcode`."""
    postcode = normalise_postcode(postcode)
    if not postcode:
        return None
    best: tuple[int, int, Place] | None = None
    for place in Place.objects.exclude(postcode_areas=""):
        for prefix in place.postcode_prefixes():
            if postcode_in_area(postcode, prefix):
                key = (place.depth, len(prefix))
                if best is None or key > best[:2]:
                    best = (place.depth, len(prefix), place)
    return best[2] if best else None


def current_budget(place: Place, on=None) -> Budget | None:
    return (
        Budget.objects.current(on)
        .filter(place=place)
        .with_totals()
        .prefetch_related(
            Prefetch(
                "contributions",
                queryset=Contribution.objects.select_related(
                    "body", "ring_fence_category"
                ),
            )
        )
        .first()
    )


@dataclass
class BodyShare:
    body: object
    amount_pence: int
    percent: float
    ring_fenced: list


def budget_breakdown(budget: Budget) -> list[BodyShare]:
    """Money in by body, largest first, with each body's ring-fenced portions."""
    total = budget.total_pence or 0
    by_body: dict[int, BodyShare] = {}
    for c in budget.contributions.all():
        share = by_body.setdefault(c.body_id, BodyShare(c.body, 0, 0.0, []))
        share.amount_pence += c.amount_pence
        if c.ring_fenced_pence:
            share.ring_fenced.append((c.ring_fence_category, c.ring_fenced_pence))
    shares = sorted(by_body.values(), key=lambda s: (-s.amount_pence, s.body.name))
    for share in shares:
        share.percent = round(100 * share.amount_pence / total, 1) if total else 0.0
    return shares


def _yes_no(value) -> str:
    return _("Yes") if value else _("No")


def describe_rules(eff: EffectiveRules) -> list[dict]:
    """The effective rules in plain English, each with where it came from."""
    v = eff
    categories = {
        c.slug: c.name for c in Category.objects.filter(slug__in=list(v.ring_fences))
    }
    methods = dict(VerificationMethod.choices)
    ballot = dict(BallotMethod.choices)
    lines = [
        (
            "min_age",
            _("Who can take part"),
            _("Residents aged %(n)s or over.") % {"n": v.min_age},
        ),
        (
            "residency_required",
            _("Residency"),
            _("You must live in the area to vote.")
            if v.residency_required
            else _("Anyone who works or studies here may also vote."),
        ),
        (
            "verification_methods",
            _("Proving you live here"),
            "; ".join(str(methods.get(m, m)) for m in v.verification_methods) + ".",
        ),
        (
            "project_cost_min_pence",
            _("Smallest project"),
            _("Projects must cost at least %(v)s.")
            % {"v": pounds(v.project_cost_min_pence)},
        ),
        (
            "project_cost_max_pence",
            _("Largest project"),
            _("Projects may cost up to %(v)s.")
            % {"v": pounds(v.project_cost_max_pence)}
            if v.project_cost_max_pence
            else _("No fixed upper limit on a project's cost."),
        ),
        (
            "max_share_percent",
            _("Share of the budget"),
            _("No single project may take more than %(n)s%% of the budget.")
            % {"n": v.max_share_percent},
        ),
        (
            "ballot_method",
            _("How you vote"),
            str(ballot.get(v.ballot_method, v.ballot_method)),
        ),
    ]
    if v.ballot_method in (BallotMethod.APPROVAL, BallotMethod.KNAPSACK):
        limit = (
            _("between %(a)s and %(b)s projects")
            % {"a": v.min_choices, "b": v.max_choices}
            if v.max_choices
            else _("at least %(a)s project(s)") % {"a": v.min_choices}
        )
        lines.append(("min_choices", _("Choices"), _("Choose %(l)s.") % {"l": limit}))
    if v.ballot_method == BallotMethod.KNAPSACK and v.min_spend_percent:
        lines.append(
            (
                "min_spend_percent",
                _("Spending"),
                _("Your choices must spend at least %(n)s%% of the budget.")
                % {"n": v.min_spend_percent},
            )
        )
    if v.ballot_method == BallotMethod.POINTS:
        lines.append(
            (
                "points_per_voter",
                _("Points"),
                _("Share out %(n)s points between the projects you like.")
                % {"n": v.points_per_voter},
            )
        )
    if v.ballot_method == BallotMethod.RANKED:
        lines.append(
            (
                "max_ranked",
                _("Ranking"),
                _("Rank up to %(n)s projects in order of preference.")
                % {"n": v.max_ranked},
            )
        )
    lines += [
        (
            "tally_rule",
            _("How votes are counted"),
            str(dict(TallyRule.choices)[v.tally_rule]),
        ),
        (
            "live_results",
            _("Live results"),
            (
                _(
                    "Results update while voting is open, at most every %(n)s minutes "
                    "and each time with at least 20 more ballots, so no update shows "
                    "one person's vote."
                )
                % {"n": v.live_results_every}
                if v.live_results_every
                else _(
                    "Results update live while voting is open, each time 20 more "
                    "ballots are in, so no update shows one person's vote."
                )
            )
            if v.live_results
            else _(
                "Results are shown only after voting closes; turnout is shown live."
            ),
        ),
        (
            "allow_replacement",
            _("Changing your vote"),
            _("You can change your vote until voting closes; the last one counts.")
            if v.allow_replacement
            else _("Once cast, your vote is final."),
        ),
        (
            "randomise_order",
            _("Ballot order"),
            _(
                "Projects are listed in a random order for each voter, so position gives no advantage."
            )
            if v.randomise_order
            else _("Projects are listed in a fixed order."),
        ),
        (
            "voting_scope",
            _("Which budgets you vote on"),
            str(dict(VotingScope.choices)[v.voting_scope]),
        ),
        (
            "ring_fences",
            _("Ring-fenced spending"),
            "; ".join(
                _("at least %(v)s on %(c)s")
                % {"v": pounds(amount), "c": categories.get(slug, slug)}
                for slug, amount in sorted(v.ring_fences.items())
            ).capitalize()
            + "."
            if v.ring_fences
            else _("No minimum spend on any category."),
        ),
    ]
    out = []
    for name, label, text in lines:
        rv = eff[name]
        out.append(
            {
                "name": name,
                "label": label,
                "text": text,
                "source": rv.source,
                "locked_by": rv.locked_by,
            }
        )
    return out


def place_page(place: Place) -> dict:
    """Everything the public place page shows, in a bounded number of queries."""
    budget = current_budget(place)
    eff = resolve_rules(place)
    return {
        "place": place,
        "ancestors": place.lineage()[:-1],
        "children": list(place.get_children()),
        "budget": budget,
        "breakdown": budget_breakdown(budget) if budget else [],
        "ring_fenced": sorted(
            budget.ring_fenced_by_category().items(), key=lambda kv: kv[0].name
        )
        if budget
        else [],
        "past_budgets": list(
            Budget.objects.filter(place=place)
            .with_totals()
            .exclude(pk=getattr(budget, "pk", None))
            .order_by("-period_start")[:5]
        ),
        "rules": describe_rules(eff),
        "effective_rules": eff,
        "has_own_rules": FrameworkRules.objects.filter(place=place).exists(),
        "boundaries": place_map(place),
        # What the layers above add (wagtail hook "place_page"): decisions and what
        # the budget paid for (accountability/wagtail_hooks.py).
        **{
            key: value
            for extend in hooks.get_hooks("place_page")
            for key, value in extend(place).items()
        },
    }


def display_rule_value(name: str, value) -> str:
    """A rule's value as a resident would read it."""
    if value is None:
        return _("no limit")
    if name.endswith("_pence"):
        return pounds(value)
    if isinstance(value, bool):
        return _yes_no(value)
    if name == "verification_methods":
        labels = dict(VerificationMethod.choices)
        return ", ".join(str(labels.get(m, m)) for m in value)
    if name == "ring_fences":
        return ", ".join(
            f"{slug}: {pounds(v)}" for slug, v in sorted(value.items())
        ) or _("none")
    field = FrameworkRules._meta.get_field(name)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    return str(value)


def rules_form_rows(form, inherited: EffectiveRules) -> list[dict]:
    """Pair each rule's form field with the value the place would inherit."""
    rows = []
    money = {v: k for k, v in form.MONEY.items()}
    for name in FrameworkRules.INHERITABLE:
        rv = inherited[name]
        if rv.locked_by is not None:
            # Locked above: show the value, but the field cannot be varied here.
            field = form.fields[
                "set_ring_fences" if name == "ring_fences" else money.get(name, name)
            ]
            field.disabled = True
            field.help_text = _("Locked by %(p)s.") % {"p": rv.locked_by.name}
        if name == "ring_fences":
            continue  # its own fieldset
        rows.append(
            {
                "field": form[money.get(name, name)],
                "inherited": display_rule_value(name, rv.value),
                "source": rv.source,
                "locked_by": rv.locked_by,
            }
        )
    return rows


def place_map(place: Place) -> dict | None:
    """The boundaries to draw on a place's map, as a GeoJSON FeatureCollection: the
    place's own (or the nearest one above it) and those of the places just inside it."""
    features = []
    own = place.area()
    if own is not None:
        features.append(
            {
                "type": "Feature",
                "properties": {"name": own.name},
                "geometry": own.boundary,
            }
        )
    for child in place.get_children().filter(boundary__isnull=False):
        features.append(
            {
                "type": "Feature",
                "properties": {"name": child.name},
                "geometry": child.boundary,
            }
        )
    return {"type": "FeatureCollection", "features": features} if features else None
