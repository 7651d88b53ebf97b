"""How a place's framework rules read on its pages and in the rules form: each
effective value in words, with the place that set it and any lock."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .framework import EffectiveRules
from .models import (
    BallotMethod,
    Category,
    FrameworkRules,
    ShortlistMethod,
    TallyRule,
    VerificationMethod,
    VotingScope,
)
from .money import pounds


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
    lines.append(
        (
            "supports_phase",
            _("Building the shortlist"),
            shortlist_text(v.as_dict())
            if v.supports_phase
            else _("Organisers draw up the shortlist from the published proposals."),
        )
    )
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


def shortlist_text(rules: dict) -> str:
    """How residents' supports build the shortlist, in words (rules as a dict)."""
    supports = _(
        "Verified residents support up to %(n)s published proposals before the "
        "shortlist is drawn up, and may withdraw a support until supports close."
    ) % {"n": rules["supports_per_resident"]}
    method = rules["shortlist_method"]
    if method == ShortlistMethod.TOP:
        built = _(
            "The %(n)s most supported proposals of each budget go on the ballot "
            "(proposals tied at the cut all go through)."
        ) % {"n": rules["shortlist_size"]}
    elif method == ShortlistMethod.THRESHOLD:
        built = _("Every proposal with at least %(n)s supports goes on the ballot.") % {
            "n": rules["shortlist_threshold"]
        }
    else:
        built = _("Organisers draw up the shortlist, with the supports as advice.")
    return f"{supports} {built}"


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
