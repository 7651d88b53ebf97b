"""Resolving a place's effective framework rules from the place tree.

A field left empty on a place inherits from the nearest ancestor that sets it; a place
may lock fields so no place below it can vary them. `resolve_rules` is the one function
that answers "what rule applies here, and who set it".
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import (
    BallotMethod,
    Budget,
    Category,
    FrameworkRules,
    Place,
    ShortlistMethod,
    TallyRule,
    VerificationMethod,
    VotingScope,
)

# What applies where no place in the tree sets a value. Documented in the README.
DEFAULTS: dict[str, Any] = {
    "min_age": 16,
    "residency_required": True,
    "verification_methods": [m.value for m in VerificationMethod],
    "project_cost_min_pence": 0,
    "project_cost_max_pence": None,
    "max_share_percent": 100,
    "ballot_method": BallotMethod.APPROVAL.value,
    "min_choices": 1,
    "max_choices": None,
    "min_spend_percent": 0,
    "points_per_voter": 10,
    "max_ranked": 5,
    "tally_rule": TallyRule.GREEDY.value,
    "live_results": True,
    "live_results_every": 0,
    "allow_replacement": True,
    "randomise_order": True,
    "voting_scope": VotingScope.OWN.value,
    "ring_fences": {},
    "supports_phase": False,
    "supports_per_resident": 10,
    "shortlist_method": ShortlistMethod.TOP.value,
    "shortlist_size": 10,
    "shortlist_threshold": 50,
}


def with_defaults(stored: dict | None) -> dict[str, Any]:
    """Rules as a cycle froze them, with today's default for any rule the cycle did not
    store (one added since): the one way stored rules are read (`Cycle.rules`)."""
    stored = stored or {}
    return {
        name: stored[name] if name in stored else copy.deepcopy(default)
        for name, default in DEFAULTS.items()
    } | {name: value for name, value in stored.items() if name not in DEFAULTS}


@dataclass(frozen=True)
class RuleValue:
    """One effective rule: its value, the place that set it, and the place that locked it."""

    name: str
    value: Any
    source: Place | None  # None: the platform default
    locked_by: Place | None = None


@dataclass
class EffectiveRules:
    """The rules in force at a place after inheritance."""

    place: Place
    values: dict[str, RuleValue] = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["values"][name].value
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name) -> RuleValue:
        return self.values[name]

    def as_dict(self) -> dict[str, Any]:
        """Plain values, JSON-serialisable: what a cycle freezes when voting opens."""
        return {name: rv.value for name, rv in self.values.items()}

    def lock_holder(self, name: str) -> Place | None:
        return self.values[name].locked_by


def resolve_rules(
    place: Place, *, edits: dict[int, FrameworkRules] | None = None
) -> EffectiveRules:
    """The effective rules at `place`, walking from the root down.

    `edits` maps place ids to unsaved rules that stand in for the stored ones, so an
    edit can be validated against every place it would affect before it is saved.
    """
    lineage = place.lineage()
    stored = {r.place_id: r for r in FrameworkRules.objects.filter(place__in=lineage)}
    stored.update(edits or {})
    resolved = {
        name: RuleValue(name, DEFAULTS[name], None)
        for name in FrameworkRules.INHERITABLE
    }
    for ancestor in lineage:
        rules = stored.get(ancestor.pk)
        if rules is None:
            continue
        for name, value in rules.own_values().items():
            if resolved[name].locked_by is None:
                # A lock above wins; validate_rules reports any attempt to vary it.
                resolved[name] = RuleValue(name, value, ancestor)
        for name in rules.locked_fields or []:
            if name in resolved and resolved[name].locked_by is None:
                current = resolved[name]
                resolved[name] = RuleValue(
                    name, current.value, current.source, ancestor
                )
    return EffectiveRules(place=place, values=resolved)


def _consistency_errors(eff: EffectiveRules, budget_total_pence: int | None) -> dict:
    errors: dict[str, list[str]] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    low, high = eff.project_cost_min_pence, eff.project_cost_max_pence
    if high is not None and low is not None and low > high:
        add(
            "project_cost_min_pence",
            _("The minimum project cost (£%(low)s) is above the maximum (£%(high)s).")
            % {"low": f"{low / 100:,.2f}", "high": f"{high / 100:,.2f}"},
        )
    if eff.max_choices is not None and eff.min_choices is not None:
        if eff.min_choices > eff.max_choices:
            add(
                "min_choices",
                _("The minimum number of choices (%(a)s) is above the maximum (%(b)s).")
                % {"a": eff.min_choices, "b": eff.max_choices},
            )
    methods = eff.verification_methods
    valid_methods = {m.value for m in VerificationMethod}
    if not isinstance(methods, list) or not methods:
        add("verification_methods", _("Allow at least one way to verify residency."))
    elif set(methods) - valid_methods:
        add(
            "verification_methods",
            _("Unknown verification method: %(m)s.")
            % {"m": ", ".join(sorted(set(methods) - valid_methods))},
        )
    if eff.ballot_method == BallotMethod.POINTS and not eff.points_per_voter:
        add(
            "points_per_voter", _("A points ballot needs at least one point per voter.")
        )
    if eff.ballot_method == BallotMethod.RANKED and not eff.max_ranked:
        add(
            "max_ranked",
            _("A ranked ballot needs voters to rank at least one project."),
        )
    fences = eff.ring_fences
    if not isinstance(fences, dict):
        add("ring_fences", _("Ring-fences must map a category to an amount."))
    else:
        known = set(
            Category.objects.filter(slug__in=list(fences)).values_list(
                "slug", flat=True
            )
        )
        for slug, amount in fences.items():
            if slug not in known:
                add("ring_fences", _("There is no category '%(s)s'.") % {"s": slug})
            elif not isinstance(amount, int) or amount < 0:
                add(
                    "ring_fences",
                    _(
                        "The ring-fence for '%(s)s' must be a whole number of pence, £0 or more."
                    )
                    % {"s": slug},
                )
        total = sum(v for v in fences.values() if isinstance(v, int))
        if budget_total_pence is not None and total > budget_total_pence:
            add(
                "ring_fences",
                _(
                    "Ring-fenced minimums add up to £%(fenced)s, more than the budget of "
                    "£%(budget)s at %(place)s."
                )
                % {
                    "fenced": f"{total / 100:,.2f}",
                    "budget": f"{budget_total_pence / 100:,.2f}",
                    "place": eff.place.name,
                },
            )
    return errors


def validate_rules(place: Place, rules: FrameworkRules) -> None:
    """Raise ValidationError naming every rule `rules` would break at `place` or below.

    Checks locks set above the place, the consistency of the resulting rules, and the
    effective rules of every place below that has rules of its own or a budget, since
    an edit here changes what they inherit.
    """
    errors: dict[str, list[str]] = {}
    inherited = resolve_rules(place, edits={place.pk: FrameworkRules(place=place)})
    for name in rules.own_values():
        holder = inherited.lock_holder(name)
        if holder is not None and holder.pk != place.pk:
            label = FrameworkRules._meta.get_field(name).verbose_name
            errors.setdefault(name, []).append(
                _("'%(label)s' is locked by %(holder)s and cannot be changed here.")
                % {"label": label, "holder": holder.name}
            )
    unknown = set(rules.locked_fields or []) - set(FrameworkRules.INHERITABLE)
    if unknown:
        errors.setdefault("locked_fields", []).append(
            _("Unknown rule to lock: %(n)s.") % {"n": ", ".join(sorted(unknown))}
        )
    if errors:
        raise ValidationError(errors)

    affected = [place] + list(
        Place.objects.filter(path__startswith=place.path, depth__gt=place.depth)
        .filter(Q(rules__isnull=False) | Q(budgets__isnull=False))
        .distinct()
    )
    for target in affected:
        eff = resolve_rules(target, edits={place.pk: rules})
        budget = Budget.objects.current().filter(place=target).with_totals().first()
        problems = _consistency_errors(eff, budget.total_pence if budget else None)
        for name, messages in problems.items():
            for message in messages:
                if target.pk != place.pk:
                    message = _("At %(place)s: %(msg)s") % {
                        "place": target.name,
                        "msg": message,
                    }
                errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)
