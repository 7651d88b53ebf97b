"""Phases of a cycle (by date or by an officer, each change logged) and counting."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots import (
    ballot_box,
    events,
    exports,
    lifecycle,
    notifications,
    selectors,
    tallying,
)
from ballots.models import (
    Ballot,
    Cycle,
    CycleProject,
    FenceWaiver,
    Phase,
    PhaseChange,
    Tally,
)
from ballots.services import supports
from ballots.validation import PreflightFailed, VotingError
from civic.audit import audit_record
from civic.framework import resolve_rules
from forums.models import ProposalStatus
from forums.services import proposal_transition

# Phases -----------------------------------------------------------------------------


def _open_voting(cycle: Cycle) -> None:
    """Refuse unless the pre-flight checks pass; then freeze the rules and put the
    shortlisted proposals on the ballot."""
    problems = lifecycle.preflight_problems(cycle)
    if problems:
        raise PreflightFailed(problems)
    cycle.frozen_rules = resolve_rules(cycle.place).as_dict()
    cycle.electorate = selectors.eligible_count(cycle)
    for section in cycle.sections.all():
        if section.projects.exists():
            continue
        for proposal in lifecycle.shortlisted(cycle, section):
            CycleProject.objects.create(
                section=section,
                proposal=proposal,
                code=str(proposal.pk),
                title=proposal.title,
                cost_pence=proposal.cost_pence,
                category_slug=proposal.category.slug,
            )


def _log_change(*, actor, cycle: Cycle, current: str, phase: str, reason="") -> None:
    PhaseChange.objects.create(
        cycle=cycle, from_phase=current, to_phase=phase, actor=actor, reason=reason
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
        data={"from": current, "to": phase, **({"reason": reason} if reason else {})},
    )
    events.announce(events.phase_changed, cycle_id=cycle.pk)


@transaction.atomic
def cycle_set_phase(*, actor, cycle: Cycle, phase: str) -> Cycle:
    """Move `cycle` along one edge of its state machine (ballots/lifecycle.py), doing
    that move's work in the same transaction: opening voting runs the pre-flight
    checks and freezes the ballot; closing it mixes the box and counts every budget;
    publishing publishes that complete count."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    lifecycle.check_move(cycle, phase)
    current = cycle.phase
    if current == Phase.SUPPORTS:  # the shortlist, from the supports (rules)
        supports.build_shortlist(actor=actor, cycle=cycle)
    if phase == Phase.VOTING:
        _open_voting(cycle)
    if current == Phase.VOTING:
        cycle.electorate = selectors.eligible_count(cycle)  # frozen as voting closes
        ballot_box.close(cycle.pk)  # every ballot in, the box in a random order
    cycle.phase = phase
    cycle.save()
    _log_change(actor=actor, cycle=cycle, current=current, phase=phase)
    if phase == Phase.COUNTING:
        cycle_count(actor=actor, cycle=cycle, publish=False)
    if phase == Phase.RESULTS:
        _publish(actor=actor, cycle=cycle, tallies=lifecycle.complete_count(cycle))
    transaction.on_commit(lambda: notifications.phase_changed(cycle))
    return cycle


@transaction.atomic
def cycle_reopen_voting(*, actor, cycle: Cycle, reason: str, closes_at) -> Cycle:
    """The repair for a vote closed by mistake: back to voting until `closes_at`, with
    the reason on the public timeline, while no result is published. The draft count
    goes (voting goes on); the ballots already cast stay in the box."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    lifecycle.check_reopen(cycle)
    if not reason.strip():
        raise VotingError(_("Give the reason: it is shown publicly on the cycle."))
    if closes_at is None or closes_at <= timezone.now():
        raise VotingError(_("Set when voting closes again, in the future."))
    Tally.objects.filter(section__cycle=cycle, published=False).delete()
    cycle.phase = Phase.VOTING
    cycle.counting_start = closes_at
    for later in ("results_start", "delivery_start"):
        if getattr(cycle, later) and getattr(cycle, later) <= closes_at:
            setattr(cycle, later, None)
    cycle.save()
    _log_change(
        actor=actor,
        cycle=cycle,
        current=Phase.COUNTING,
        phase=Phase.VOTING,
        reason=reason.strip(),
    )
    transaction.on_commit(lambda: notifications.phase_changed(cycle))
    return cycle


def cycle_refresh_phase(cycle: Cycle, now=None) -> Cycle:
    """Move a cycle forward along its edges while the next phase's date has passed,
    one phase at a time, doing each one's work (a vote whose closing and results
    dates have both passed is closed, counted, then published)."""
    now = now or timezone.now()
    while True:
        due = [
            phase
            for phase in lifecycle.offered_phases(cycle)
            if cycle.phase_start(phase) is not None and cycle.phase_start(phase) <= now
        ]
        if not due:
            return cycle
        # Before voting the latest phase due wins (skipping one whose date also
        # passed); from voting on there is only one next phase.
        try:
            cycle = cycle_set_phase(actor=None, cycle=cycle, phase=due[-1])
        except VotingError:
            return cycle


# Counting ---------------------------------------------------------------------------


def check_countable(cycle: Cycle) -> None:
    if cycle.phase not in (Phase.COUNTING, Phase.RESULTS, Phase.DELIVERY):
        raise VotingError(_("Votes are counted once voting has closed."))


@transaction.atomic
def cycle_count(*, actor, cycle: Cycle, publish: bool = False) -> list[Tally]:
    """Count every budget with the frozen rules and store each result, as a draft;
    with `publish`, publish that count at once."""
    check_countable(cycle)
    rules = cycle.rules
    tallies = []
    for section in cycle.sections.select_related("place", "budget").prefetch_related(
        "projects", "budget__contributions__ring_fence_category"
    ):
        outcome = tallying.count(section, rules)
        export = exports.build(section, rules)  # kept since voting closed
        tallies.append(
            Tally.objects.create(
                section=section,
                rule=outcome.rule,
                utility=outcome.utility,
                result=outcome.as_dict(),
                ballots_counted=outcome.voters,
                export_sha256=export.sha256,
            )
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
    if publish:
        _publish(actor=actor, cycle=cycle, tallies=tallies)
    return tallies


def _publish(*, actor, cycle: Cycle, tallies: list[Tally]) -> None:
    """Publish a complete count: each budget's result, and each proposal on the
    ballot funded or not by it."""
    for tally in tallies:
        tally.published = True
        tally.save(update_fields=["published"])
        events.announce(events.result_published, tally_id=tally.pk)
        funded = set(tally.result["selected"])
        for project in tally.section.projects.select_related("proposal"):
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


@transaction.atomic
def fence_waiver_record(*, actor, cycle: Cycle, key: str, reason: str) -> FenceWaiver:
    """An officer accepts, before voting opens, that a ring-fence the pre-flight found
    short cannot be met; recorded, audited and shown on the results page."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if Phase.values.index(cycle.phase) >= Phase.values.index(Phase.VOTING):
        raise VotingError(_("Ring-fences are settled before voting opens."))
    short = {
        f"{s.pk}:{slug}": (s, slug, m, a)
        for s, slug, m, a in lifecycle.shortfalls(cycle)
    }
    if key not in short:
        raise VotingError(_("That ring-fence can be met, or is accepted already."))
    section, slug, minimum, available = short[key]
    waiver = FenceWaiver.objects.create(
        section=section,
        category_slug=slug,
        minimum_pence=minimum,
        available_pence=available,
        reason=reason.strip(),
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="cycle.fence_waiver",
        target=cycle,
        place=cycle.place,
        summary=_("%(c)s: ring-fence for %(s)s at %(p)s accepted as not met")
        % {"c": cycle.name, "s": slug, "p": section.place.name},
        data={"section": section.pk, "category": slug, "reason": waiver.reason},
    )
    return waiver
