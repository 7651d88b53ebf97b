"""Checking a ballot against the cycle's frozen rules. Pure: no database access.

Every broken rule is named; nothing is stored unless the whole ballot is valid.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from civic.errors import DomainError
from civic.money import pounds


class VotingError(DomainError):
    """An action on a cycle that its state or rules do not allow, with the reason."""


class PreflightFailed(VotingError):
    """Voting cannot open: `errors` says every check that fails (ballots/lifecycle)."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(" ".join(errors))


class BallotInvalid(DomainError):
    """A ballot that breaks the cycle's rules: `errors` names every broken one."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True)
class SectionSpec:
    id: int
    name: str
    budget_pence: int
    costs: dict[str, int]  # project code → cost


def clean_section(
    method: str, rules: dict, spec: SectionSpec, raw
) -> tuple[object, list[str]]:
    """Validate one section's choices. Returns (clean value, errors)."""
    errors: list[str] = []
    name = spec.name
    if method in ("approval", "knapsack", "ranked"):
        if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
            return None, [_("%(s)s: the choices could not be read.") % {"s": name}]
        unknown = [c for c in raw if c not in spec.costs]
        if unknown:
            errors.append(
                _("%(s)s: %(n)s choice(s) are not projects on this ballot.")
                % {"s": name, "n": len(unknown)}
            )
        if len(set(raw)) != len(raw):
            errors.append(
                _("%(s)s: each project can be chosen only once.") % {"s": name}
            )
        chosen = [c for c in dict.fromkeys(raw) if c in spec.costs]
        low = rules["min_choices"]
        if method == "ranked":
            high = rules["max_ranked"]
            if len(chosen) < max(low, 1):
                errors.append(
                    _("%(s)s: rank at least %(n)s project(s).")
                    % {"s": name, "n": max(low, 1)}
                )
            if high and len(chosen) > high:
                errors.append(
                    _("%(s)s: rank at most %(n)s projects; you ranked %(m)s.")
                    % {"s": name, "n": high, "m": len(chosen)}
                )
            return chosen, errors
        high = rules["max_choices"]
        if len(chosen) < low:
            errors.append(
                _("%(s)s: choose at least %(n)s project(s); you chose %(m)s.")
                % {"s": name, "n": low, "m": len(chosen)}
            )
        if high and len(chosen) > high:
            errors.append(
                _("%(s)s: choose at most %(n)s projects; you chose %(m)s.")
                % {"s": name, "n": high, "m": len(chosen)}
            )
        if method == "knapsack":
            total = sum(spec.costs[c] for c in chosen)
            if total > spec.budget_pence:
                errors.append(
                    _("%(s)s: your choices cost %(t)s, more than the budget of %(b)s.")
                    % {"s": name, "t": pounds(total), "b": pounds(spec.budget_pence)}
                )
            min_spend = rules["min_spend_percent"]
            floor = spec.budget_pence * min_spend // 100
            if min_spend and total < floor:
                errors.append(
                    _(
                        "%(s)s: your choices must spend at least %(p)s%% of the budget (%(f)s); they cost %(t)s."
                    )
                    % {
                        "s": name,
                        "p": min_spend,
                        "f": pounds(floor),
                        "t": pounds(total),
                    }
                )
        return sorted(chosen), errors
    if method == "points":
        if not isinstance(raw, dict):
            return None, [_("%(s)s: the points could not be read.") % {"s": name}]
        points: dict[str, int] = {}
        for code, value in raw.items():
            if code not in spec.costs:
                errors.append(
                    _("%(s)s: points were given to a project not on this ballot.")
                    % {"s": name}
                )
                continue
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                errors.append(
                    _("%(s)s: points must be whole numbers, 0 or more.") % {"s": name}
                )
                continue
            if value:
                points[code] = value
        total = sum(points.values())
        allowed = rules["points_per_voter"]
        if total > allowed:
            errors.append(
                _("%(s)s: you gave %(t)s points; you have %(n)s to share out.")
                % {"s": name, "t": total, "n": allowed}
            )
        if total == 0:
            errors.append(
                _("%(s)s: give at least one point to a project.") % {"s": name}
            )
        low = rules["min_choices"]
        if len(points) < low:
            errors.append(
                _("%(s)s: give points to at least %(n)s project(s).")
                % {"s": name, "n": low}
            )
        return dict(sorted(points.items())), errors
    return None, [_("Unknown ballot method.")]


def clean_ballot(
    method: str,
    rules: dict,
    specs: dict[int, SectionSpec],
    allowed_sections: set[int],
    raw: dict,
    max_sections: int | None,
) -> dict[str, object]:
    """Validate a whole ballot: {section id: choices}. Raises BallotInvalid."""
    errors: list[str] = []
    clean: dict[str, object] = {}
    if any(not str(k).isdigit() for k in raw):
        raise BallotInvalid(
            [_("Your ballot includes a budget that is not part of this vote.")]
        )
    filled = {int(k): v for k, v in raw.items() if v not in (None, [], {})}
    for section_id in filled:
        if section_id not in specs:
            errors.append(
                _("Your ballot includes a budget that is not part of this vote.")
            )
        elif section_id not in allowed_sections:
            errors.append(
                _("You may not vote on %(s)s's budget.") % {"s": specs[section_id].name}
            )
    if max_sections is not None and len(filled) > max_sections:
        errors.append(
            _("You may vote on at most %(n)s neighbourhood budgets in this cycle.")
            % {"n": max_sections}
        )
    if not filled:
        errors.append(_("Your ballot is empty: choose at least one project."))
    for section_id, value in filled.items():
        if section_id in specs and section_id in allowed_sections:
            cleaned, section_errors = clean_section(
                method, rules, specs[section_id], value
            )
            errors += section_errors
            clean[str(section_id)] = cleaned
    if errors:
        raise BallotInvalid(errors)
    return clean
