"""The cycle's life as a checked state machine, declared once.

    ideas → review → supports → shortlist → voting → counting → results → delivery

Before voting a cycle may skip ahead (an officer may open voting straight from ideas),
except over the supports phase: where the framework rules use one
(`supports_phase`), the shortlist is built from residents' supports, so the cycle
passes through it (ballots/services/supports.py builds the shortlist as it leaves), and where
they do not, it is never entered;
from voting on there is one road: closing the vote goes to counting, which closes the
box and counts every budget; results are reached only from a complete count;
delivery only once results are published. Officers, the scheduler (dates) and the back
office all ask `check_move`. One repair is allowed and audited: a vote closed by
mistake may be re-opened (counting → voting) until a result is published.

Opening voting runs `preflight`: every problem in words, none of them silently
accepted. The same checks are the officer's checklist on the cycle page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civic.models import Category
from civic.money import pounds
from forums.models import Forum, Proposal, ProposalStatus
from forums.services import cost_rule_problems

from . import selectors, tallying
from .models import (
    BEFORE_VOTING,
    Cycle,
    CycleProject,
    FenceWaiver,
    Phase,
    PhaseChange,
    Section,
    Tally,
    VoterRecord,
)
from .validation import VotingError

P = Phase

TRANSITIONS: dict[str, set[str]] = {
    P.IDEAS: {P.REVIEW, P.SUPPORTS, P.SHORTLIST, P.VOTING},
    P.REVIEW: {P.SUPPORTS, P.SHORTLIST, P.VOTING},
    P.SUPPORTS: {P.SHORTLIST},
    P.SHORTLIST: {P.VOTING},
    P.VOTING: {P.COUNTING},
    P.COUNTING: {P.RESULTS},
    P.RESULTS: {P.DELIVERY},
    P.DELIVERY: set(),
}

# The one repair, with a public reason: re-opening a vote closed by mistake, allowed
# while no result of the cycle is published.
REPAIRS: dict[str, set[str]] = {P.COUNTING: {P.VOTING}}

# Moves that cannot be taken back by another move: the officer confirms them on a page
# that says what will happen.
CONFIRMED: set[str] = {P.VOTING, P.COUNTING, P.RESULTS}


def next_phases(phase: str) -> list[str]:
    """The phases a cycle in `phase` may move to, in their order."""
    return [p for p in Phase.values if p in TRANSITIONS[phase]]


def offered_phases(cycle: Cycle) -> list[str]:
    """The phases `cycle` may move to under its rules (the supports phase entered only
    where they use it, and not skipped where they do)."""
    return [p for p in next_phases(cycle.phase) if not _supports_problem(cycle, p)]


def _supports_problem(cycle: Cycle, phase: str) -> str:
    """Why the framework rules refuse this move before voting: entering a supports
    phase they do not use, or skipping the one they do."""
    if cycle.phase not in (P.IDEAS, P.REVIEW) or phase not in TRANSITIONS[cycle.phase]:
        return ""
    uses_supports = cycle.rules["supports_phase"]
    if phase == P.SUPPORTS and not uses_supports:
        return _(
            "The framework rules for %(p)s do not use a supports phase: turn it on "
            "in the rules first."
        ) % {"p": cycle.place.name}
    if uses_supports and phase in (P.SHORTLIST, P.VOTING):
        return _(
            "The framework rules for %(p)s build the shortlist from residents' "
            "supports: open supports first."
        ) % {"p": cycle.place.name}
    return ""


def check_move(cycle: Cycle, phase: str) -> None:
    """VotingError unless `cycle` may move from its phase to `phase`."""
    if phase not in Phase.values:
        raise VotingError(_("Unknown phase."))
    current = cycle.phase
    problem = _supports_problem(cycle, phase)
    if problem:
        raise VotingError(problem)
    if phase in TRANSITIONS[current]:
        if phase == P.RESULTS and not complete_count(cycle):
            raise VotingError(
                _(
                    "Results can only be published from a complete count of every "
                    "budget: count the votes first."
                )
            )
        return
    if Phase.values.index(phase) <= Phase.values.index(current):
        raise VotingError(
            _("Phases only move forward; %(a)s cannot go back to %(b)s.")
            % {"a": P(current).label, "b": P(phase).label}
        )
    if current == P.VOTING:
        raise VotingError(
            _(
                "Voting must close first, and closing it counts every ballot: move "
                "the cycle to “%(c)s”."
            )
            % {"c": P.COUNTING.label}
        )
    if current == P.COUNTING and phase == P.DELIVERY:
        raise VotingError(
            _("Delivery starts once the result is published: publish it first.")
        )
    raise VotingError(
        _("A cycle in “%(a)s” cannot move to “%(b)s”; next is %(n)s.")
        % {
            "a": P(current).label,
            "b": P(phase).label,
            "n": ", ".join(str(P(p).label) for p in next_phases(current)),
        }
    )


def check_reopen(cycle: Cycle) -> None:
    if P.VOTING not in REPAIRS.get(cycle.phase, set()):
        raise VotingError(_("Only a vote that is being counted can be re-opened."))
    if Tally.objects.filter(section__cycle=cycle, published=True).exists():
        raise VotingError(
            _("A result of this vote is published: it can no longer be re-opened.")
        )


def last_closed(cycle: Cycle):
    change = (
        PhaseChange.objects.filter(cycle=cycle, to_phase=P.COUNTING)
        .order_by("-created_at", "-id")
        .first()
    )
    return change.created_at if change else None


def complete_count(cycle: Cycle) -> list[Tally]:
    """The latest draft count of every budget, made since voting last closed; empty
    unless every budget on the ballot has one."""
    closed = last_closed(cycle)
    if closed is None:
        return []
    out = []
    for section in cycle.sections.all():
        tally = (
            section.tallies.filter(published=False, computed_at__gte=closed)
            .order_by("-computed_at", "-id")
            .first()
        )
        if tally is None:
            return []
        out.append(tally)
    return out


# What a move does, in words (the confirmation page) -----------------------------------


def consequences(cycle: Cycle, phase: str) -> list[str]:
    """What moving `cycle` to `phase` will do, for the person about to confirm it."""
    if phase == P.VOTING:
        projects = sum(len(c.items) for c in candidates(cycle))
        electorate = selectors.eligible_count(cycle)
        return [
            ngettext(
                "Voting opens now for %(n)s eligible resident.",
                "Voting opens now for %(n)s eligible residents.",
                electorate,
            )
            % {"n": electorate},
            ngettext(
                "The ballot holds %(p)s project in %(b)s budget(s); from now on the "
                "projects, budgets and rules of this vote are frozen.",
                "The ballot holds %(p)s projects in %(b)s budget(s); from now on the "
                "projects, budgets and rules of this vote are frozen.",
                projects,
            )
            % {"p": projects, "b": cycle.sections.count()},
            _(
                "Only the description and the dates can still be changed. Residents "
                "who follow the cycle are told that voting is open."
            ),
        ]
    if phase == P.COUNTING:
        cast = VoterRecord.objects.filter(cycle=cycle).count()
        return [
            ngettext(
                "Voting closes now: %(n)s ballot will be mixed and counted; no one "
                "can vote after this.",
                "Voting closes now: %(n)s ballots will be mixed and counted; no one "
                "can vote after this.",
                cast,
            )
            % {"n": cast},
            _(
                "Every budget is counted with the frozen rules. The count stays a draft, "
                "seen by officers only, until it is published."
            ),
            _(
                "Until a result is published an officer may re-open voting if it was "
                "closed by mistake; the reason is shown publicly."
            ),
        ]
    if phase == P.RESULTS:
        lines = []
        for tally in complete_count(cycle):
            selected = len(tally.result.get("selected", []))
            lines.append(
                _("%(place)s: %(n)s ballots counted, %(f)s project(s) funded.")
                % {
                    "place": tally.section.place.name,
                    "n": tally.ballots_counted,
                    "f": selected,
                }
            )
        return [
            *lines,
            _(
                "The result is published to everyone and the funded proposals move to "
                "delivery planning. This cannot be undone: the vote can no longer be "
                "re-opened."
            ),
        ]
    return []


# Pre-flight before voting opens -----------------------------------------------------


@dataclass
class Candidates:
    """What a budget's ballot will hold when voting opens."""

    section: Section
    items: list = field(default_factory=list)  # CycleProject or Proposal


def candidates(cycle: Cycle) -> list[Candidates]:
    """Per budget on the ballot: its projects if drawn up, else the shortlisted
    proposals of the place's forum that voting will put on it."""
    out = []
    for section in cycle.sections.select_related("place", "budget"):
        items = list(section.projects.select_related("proposal"))
        if not items:
            items = list(shortlisted(cycle, section))
        out.append(Candidates(section, items))
    return out


def shortlisted(cycle: Cycle, section: Section):
    forum = Forum.objects.filter(place=section.place).first()
    if forum is None:
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(
            forum=forum, status=ProposalStatus.SHORTLISTED, hidden=False
        )
        .exclude(pk__in=_on_other_ballots(cycle))
        .select_related("category", "forum__place")
    )


def _on_other_ballots(cycle: Cycle):
    return (
        CycleProject.objects.filter(
            section__cycle__phase__in=[P.VOTING, P.COUNTING], proposal__isnull=False
        )
        .exclude(section__cycle=cycle)
        .values("proposal_id")
    )


def _category(item) -> str:
    return item.category_slug if isinstance(item, CycleProject) else item.category.slug


def _proposal(item):
    return item.proposal if isinstance(item, CycleProject) else item


@dataclass
class Check:
    """One line of the checklist: what is checked, whether it passes, and the
    problems found, in words."""

    label: str
    problems: list[str]
    # Shortfalls an officer may accept (section, category, minimum, available).
    acceptable: list[tuple] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def preflight(cycle: Cycle) -> list[Check]:
    """Everything that must hold before voting opens, as the officer's checklist."""
    groups = candidates(cycle)
    return [
        _check_dates(cycle),
        _check_sections(groups),
        _check_other_cycles(cycle, groups),
        _check_fences(cycle, groups),
        _check_money(cycle, groups),
        _check_electorate(cycle),
    ]


def shortfalls(cycle: Cycle) -> list[tuple]:
    """The ring-fences the ballot cannot meet and an officer may accept as such:
    (section, category slug, minimum, available) each."""
    return _check_fences(cycle, candidates(cycle)).acceptable


def preflight_problems(cycle: Cycle) -> list[str]:
    return [problem for check in preflight(cycle) for problem in check.problems]


def _check_dates(cycle: Cycle) -> Check:
    problems = []
    if cycle.voting_start is None:
        problems.append(_("Set the date voting opens."))
    if cycle.counting_start is None:
        problems.append(_("Set the date voting closes (when counting starts)."))
    elif cycle.counting_start <= timezone.now():
        problems.append(_("The closing date has passed: set one in the future."))
    if (
        cycle.voting_start
        and cycle.counting_start
        and cycle.counting_start <= cycle.voting_start
    ):
        problems.append(_("Voting must close after it opens."))
    return Check(_("Voting has opening and closing dates"), problems)


def _check_sections(groups: list[Candidates]) -> Check:
    problems = []
    if not groups:
        problems.append(_("The ballot has no budget: add one."))
    for group in groups:
        if not group.items:
            problems.append(
                _(
                    "The budget for %(p)s has no shortlisted project: shortlist at "
                    "least one, or remove the budget from the ballot."
                )
                % {"p": group.section.place.name}
            )
    return Check(_("Every budget has projects to vote on"), problems)


def _check_other_cycles(cycle: Cycle, groups: list[Candidates]) -> Check:
    problems = []
    places = [g.section.place_id for g in groups]
    others = (
        Cycle.objects.filter(archived=False, sections__place_id__in=places)
        .filter(
            Q(phase__in=[P.VOTING, P.COUNTING])
            | Q(
                phase__in=BEFORE_VOTING,
                voting_start__isnull=False,
                voting_start__lte=cycle.counting_start or timezone.now(),
                counting_start__gte=cycle.voting_start or timezone.now(),
            )
        )
        .exclude(pk=cycle.pk)
        .distinct()
    )
    for other in others:
        shared = other.sections.filter(place_id__in=places).select_related("place")
        problems.append(
            _(
                "%(places)s is also on %(other)s, which is open or opens at the same "
                "time: its shortlisted proposals would be on two ballots at once."
            )
            % {
                "places": ", ".join(s.place.name for s in shared),
                "other": other.name,
            }
        )
    return Check(_("No proposal is on another open vote"), problems)


def _check_fences(cycle: Cycle, groups: list[Candidates]) -> Check:
    rules = cycle.rules
    names = dict(Category.objects.values_list("slug", "name"))
    waived = {
        (w.section_id, w.category_slug)
        for w in FenceWaiver.objects.filter(section__cycle=cycle)
    }
    problems, acceptable = [], []
    for group in groups:
        section = group.section
        for slug, minimum in sorted(tallying.ring_fences_for(section, rules).items()):
            available = sum(
                item.cost_pence for item in group.items if _category(item) == slug
            )
            if available >= minimum or (section.pk, slug) in waived:
                continue
            problems.append(
                _(
                    "%(p)s ring-fences %(m)s for %(c)s, but its shortlisted projects "
                    "in that category cost %(a)s in all: shortlist more, or accept "
                    "that the fence cannot be met (the reason is shown on the results)."
                )
                % {
                    "p": section.place.name,
                    "m": pounds(minimum),
                    "c": names.get(slug, slug),
                    "a": pounds(available),
                }
            )
            acceptable.append((section, slug, minimum, available))
    return Check(_("Every ring-fence can be met"), problems, acceptable)


def _check_money(cycle: Cycle, groups: list[Candidates]) -> Check:
    problems = []
    for group in groups:
        section = group.section
        if section.budget_pence <= 0:
            problems.append(
                _("The budget for %(p)s is £0.") % {"p": section.place.name}
            )
        if section.budget_id:
            total = (
                section.budget.contributions.aggregate(t=Sum("amount_pence"))["t"] or 0
            )
            if section.budget_pence > total:
                problems.append(
                    _(
                        "The ballot for %(p)s decides %(s)s, more than its budget "
                        "%(b)s holds (%(t)s)."
                    )
                    % {
                        "p": section.place.name,
                        "s": pounds(section.budget_pence),
                        "b": section.budget.name,
                        "t": pounds(total),
                    }
                )
        for item in group.items:
            proposal = _proposal(item)
            if proposal is None:
                continue
            for problem in cost_rule_problems(proposal):
                problems.append(f"{proposal.title}: {problem}")
            if item.cost_pence > section.budget_pence:
                problems.append(
                    _("%(t)s costs %(c)s, more than the whole budget of %(b)s.")
                    % {
                        "t": proposal.title,
                        "c": pounds(item.cost_pence),
                        "b": pounds(section.budget_pence),
                    }
                )
    return Check(_("Costs and budgets keep the framework rules"), problems)


def _check_electorate(cycle: Cycle) -> Check:
    problems = []
    if selectors.eligible_count(cycle) == 0:
        problems.append(
            _(
                "No one can vote: no resident of %(p)s is verified and no voting "
                "codes have been posted."
            )
            % {"p": cycle.place.name}
        )
    return Check(_("Someone is eligible to vote"), problems)


# Dates residents can see -------------------------------------------------------------


def when(moment) -> str:
    """A moment in the council's time zone and the reader's language: "Sunday 15
    March at 22:00" (with the year when it is not this year)."""
    local = timezone.localtime(moment)
    fmt = "l j F" if local.year == timezone.localtime().year else "l j F Y"
    return _("%(day)s at %(time)s") % {
        "day": date_format(local, fmt),
        "time": local.strftime("%H:%M"),
    }


def _entered(cycle: Cycle, phase: str):
    change = cycle.phase_changes.filter(to_phase=phase).order_by("-created_at").first()
    return change.created_at if change else cycle.phase_start(phase)


def timing(cycle: Cycle) -> str:
    """The current phase with its dates, in one sentence for residents."""
    phase = cycle.phase
    if cycle.archived:
        return ""
    if phase == P.SUPPORTS and cycle.shortlist_start:
        return _("Supports close %(c)s.") % {"c": when(cycle.shortlist_start)}
    if phase in BEFORE_VOTING:
        if cycle.voting_start and cycle.counting_start:
            return _("Voting opens %(o)s and closes %(c)s.") % {
                "o": when(cycle.voting_start),
                "c": when(cycle.counting_start),
            }
        if cycle.voting_start:
            return _("Voting opens %(o)s.") % {"o": when(cycle.voting_start)}
        return _("The voting dates are not set yet.")
    if phase == P.VOTING:
        if cycle.counting_start:
            return _("Voting closes %(c)s.") % {"c": when(cycle.counting_start)}
        return _("Voting is open.")
    if phase == P.COUNTING:
        closed = _entered(cycle, P.COUNTING)
        text = (
            _("Voting closed %(c)s; the votes are being counted.") % {"c": when(closed)}
            if closed
            else _("The votes are being counted.")
        )
        if cycle.results_start:
            text += " " + _("Results are due %(r)s.") % {"r": when(cycle.results_start)}
        return text
    published = _entered(cycle, P.RESULTS)
    if published:
        return _("Results published %(r)s.") % {"r": when(published)}
    return ""
