"""Phases of a cycle (by date or by an officer, each change logged) and counting."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots import (
    ballot_box,
    exports,
    live,
    notifications,
    selectors,
    tallying,
    tasks,
)
from ballots.models import (
    PHASE_ORDER,
    Ballot,
    Cycle,
    CycleProject,
    Phase,
    PhaseChange,
    Tally,
)
from ballots.validation import VotingError
from civic.audit import audit_record
from civic.framework import resolve_rules
from civic.tasks import in_background, queue
from forums.models import Forum, Proposal, ProposalStatus
from forums.services import proposal_transition

# Phases -----------------------------------------------------------------------------


def _open_voting(cycle: Cycle) -> None:
    """Freeze the rules and put the shortlisted proposals on the ballot."""
    cycle.frozen_rules = resolve_rules(cycle.place).as_dict()
    cycle.electorate = selectors.eligible_count(cycle)
    for section in cycle.sections.all():
        if section.projects.exists():
            continue
        forum = Forum.objects.filter(place=section.place).first()
        if forum is None:
            continue
        for proposal in Proposal.objects.filter(
            forum=forum, status=ProposalStatus.SHORTLISTED, hidden=False
        ):
            CycleProject.objects.create(
                section=section,
                proposal=proposal,
                code=str(proposal.pk),
                title=proposal.title,
                cost_pence=proposal.cost_pence,
                category_slug=proposal.category.slug,
            )


def cycle_set_phase_by_hand(*, actor, cycle: Cycle, phase: str) -> bool:
    """An officer's phase change (the cycle page and the back office). Publishing the
    result counts every ballot, seconds on a large vote, so with a task queue that move
    runs in the worker (`ballots.tasks.change_phase`): it is checked now, so a refusal
    is said at once, and False is returned. Any other move, or any move without a
    broker, is made now and True is returned."""
    if phase == Phase.RESULTS and in_background():
        _check_move(Cycle.objects.get(pk=cycle.pk), phase)
        queue(tasks.change_phase, cycle.pk, phase, actor.pk)
        return False
    cycle_set_phase(actor=actor, cycle=cycle, phase=phase)
    return True


def cycle_count_by_hand(*, actor, cycle: Cycle) -> bool:
    """An officer's count before publishing: in the worker when a task queue runs
    (False), else now (True); a cycle not yet closed is refused at once."""
    if in_background():
        _check_countable(cycle)
        queue(tasks.count_cycle, cycle.pk, actor.pk)
        return False
    cycle_count(actor=actor, cycle=cycle, publish=False)
    return True


def _check_move(cycle: Cycle, phase: str) -> None:
    """VotingError unless `cycle` may move from its phase to `phase`."""
    if phase not in PHASE_ORDER:
        raise VotingError(_("Unknown phase."))
    current = cycle.phase
    if PHASE_ORDER.index(phase) <= PHASE_ORDER.index(current):
        raise VotingError(
            _("Phases only move forward; %(a)s cannot go back to %(b)s.")
            % {"a": Phase(current).label, "b": Phase(phase).label}
        )
    if (
        PHASE_ORDER.index(phase)
        > PHASE_ORDER.index(Phase.VOTING)
        >= PHASE_ORDER.index(current)
    ):
        if current != Phase.VOTING:
            raise VotingError(_("Voting must open before it can close."))


@transaction.atomic
def cycle_set_phase(*, actor, cycle: Cycle, phase: str) -> Cycle:
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _check_move(cycle, phase)
    current = cycle.phase
    if phase == Phase.VOTING:
        _open_voting(cycle)
        if not CycleProject.objects.filter(section__cycle=cycle).exists():
            raise VotingError(
                _("There are no shortlisted proposals to put on the ballot.")
            )
    if current == Phase.VOTING:
        cycle.electorate = selectors.eligible_count(cycle)  # frozen as voting closes
        ballot_box.close(cycle.pk)  # every ballot in, the box in a random order
        # The export files, built in the background (ballots/exports.py).
        transaction.on_commit(partial(queue, tasks.build_exports, cycle.pk))
    cycle.phase = phase
    cycle.save()
    PhaseChange.objects.create(
        cycle=cycle, from_phase=current, to_phase=phase, actor=actor
    )
    audit_record(
        actor=actor,
        action="cycle.phase",
        target=cycle,
        place=cycle.place,
        summary=_("%(c)s: %(a)s → %(b)s%(by)s")
        % {
            "c": cycle.name,
            "a": Phase(current).label,
            "b": Phase(phase).label,
            "by": "" if actor else _(" (by date)"),
        },
        data={"from": current, "to": phase},
    )
    if phase == Phase.RESULTS:
        cycle_count(actor=actor, cycle=cycle, publish=True)
    transaction.on_commit(lambda: live.phase_changed(cycle.pk))
    transaction.on_commit(lambda: notifications.phase_changed(cycle))
    return cycle


def cycle_refresh_phase(cycle: Cycle, now=None) -> Cycle:
    """Move a cycle forward to the latest phase whose start date has passed."""
    now = now or timezone.now()
    due = cycle.phase
    for phase in PHASE_ORDER[PHASE_ORDER.index(cycle.phase) + 1 :]:
        start = cycle.phase_start(phase)
        if start is not None and start <= now:
            due = phase
    for phase in PHASE_ORDER[
        PHASE_ORDER.index(cycle.phase) + 1 : PHASE_ORDER.index(due) + 1
    ]:
        try:
            cycle = cycle_set_phase(actor=None, cycle=cycle, phase=phase)
        except VotingError:
            break
    return cycle


# Counting ---------------------------------------------------------------------------


def _check_countable(cycle: Cycle) -> None:
    if cycle.phase not in (Phase.COUNTING, Phase.RESULTS, Phase.DELIVERY):
        raise VotingError(_("Votes are counted once voting has closed."))


@transaction.atomic
def cycle_count(*, actor, cycle: Cycle, publish: bool) -> list[Tally]:
    """Count every section with the frozen rules; store; mark proposals funded or not."""
    _check_countable(cycle)
    rules = cycle.rules
    tallies = []
    for section in cycle.sections.select_related("place", "budget").prefetch_related(
        "projects", "budget__contributions__ring_fence_category"
    ):
        outcome = tallying.count(section, rules)
        export = exports.build(section, rules)  # kept since voting closed
        tally = Tally.objects.create(
            section=section,
            rule=outcome.rule,
            utility=outcome.utility,
            result=outcome.as_dict(),
            ballots_counted=outcome.voters,
            published=publish,
            export_sha256=export.sha256,
        )
        tallies.append(tally)
        if publish:
            transaction.on_commit(partial(queue, tasks.recount_tally, tally.pk))
            funded = set(outcome.selected)
            for project in section.projects.select_related("proposal"):
                proposal = project.proposal
                if proposal is None or proposal.status != ProposalStatus.SHORTLISTED:
                    continue
                proposal_transition(
                    actor=actor,
                    proposal=proposal,
                    by_count=True,
                    to=ProposalStatus.FUNDED
                    if project.code in funded
                    else ProposalStatus.NOT_FUNDED,
                    reason=_("Result of %(c)s") % {"c": cycle.name},
                )
    audit_record(
        actor=actor,
        action="cycle.count",
        target=cycle,
        place=cycle.place,
        summary=_("%(c)s counted (%(n)s ballots)")
        % {"c": cycle.name, "n": Ballot.objects.filter(cycle=cycle).count()},
        data={"tallies": [t.pk for t in tallies]},
    )
    return tallies
