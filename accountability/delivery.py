"""Delivering funded proposals: milestones, who paid (by body), who benefits."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from civic.audit import audit_record
from civic.models import Contribution
from civic.money import pounds
from forums.models import Proposal, ProposalStatus
from forums.services import proposal_transition
from forums.workflow import DELIVERABLE

from .models import ExpectedBenefit, FundingAttribution, GrantRecipient, Milestone


@transaction.atomic
def milestone_post(
    *, actor, proposal: Proposal, data: dict, completes: bool = False
) -> Milestone:
    """Post a delivery milestone; the first starts delivery, and one at 100% that
    `completes` the project makes it delivered (the organiser's one step)."""
    proposal.refresh_from_db(fields=["status"])
    if proposal.status not in DELIVERABLE:
        raise ValidationError(_("Only funded proposals have delivery milestones."))
    if completes and data.get("percent_done") != 100:
        raise ValidationError(
            _("A project is delivered when its last milestone is at 100%.")
        )
    if completes and proposal.status == ProposalStatus.DELIVERED:
        raise ValidationError(_("This project is already delivered."))
    milestone = Milestone(proposal=proposal, posted_by=actor, **data)
    milestone.full_clean()
    milestone.save()
    if proposal.status == ProposalStatus.FUNDED:
        proposal_transition(
            actor=actor,
            proposal=proposal,
            to=ProposalStatus.IN_DELIVERY,
            reason=_("Delivery started: %(m)s") % {"m": milestone.title},
            by_delivery=True,
        )
    if completes:
        proposal_transition(
            actor=actor,
            proposal=proposal,
            to=ProposalStatus.DELIVERED,
            reason=_("Delivered: %(m)s") % {"m": milestone.title},
            by_delivery=True,
        )
    audit_record(
        actor=actor,
        action="delivery.milestone",
        target=milestone,
        place=proposal.forum.place,
        summary=_("Milestone “%(m)s” on “%(p)s” (%(d)s%%)")
        % {
            "m": milestone.title[:80],
            "p": proposal.title[:80],
            "d": milestone.percent_done,
        },
    )
    return milestone


def percent_done(proposal: Proposal) -> int:
    """How far delivery has come: 100 once delivered, else the latest milestone's
    percentage (milestones in planned order), 0 before any."""
    if proposal.status == ProposalStatus.DELIVERED:
        return 100
    latest = (
        Milestone.objects.filter(proposal=proposal)
        .order_by("-planned_date", "-id")
        .values_list("percent_done", flat=True)
        .first()
    )
    return latest or 0


def _budget_contributions(proposal: Proposal):
    """Contributions of the budgets that funded the proposal's place (current first)."""
    return (
        Contribution.objects.filter(budget__place=proposal.forum.place)
        .select_related("body", "ring_fence_category", "budget")
        .order_by("-budget__period_start", "pk")
    )


def _used(
    contribution: Contribution, exclude_proposal: Proposal | None = None
) -> tuple[int, int]:
    """(total attributed, attributed to projects outside its ring-fenced category)."""
    qs = FundingAttribution.objects.filter(contribution=contribution)
    if exclude_proposal is not None:
        qs = qs.exclude(proposal=exclude_proposal)
    total = qs.aggregate(s=Sum("amount_pence"))["s"] or 0
    outside = 0
    if contribution.ring_fence_category_id:
        outside = (
            qs.exclude(
                proposal__category_id=contribution.ring_fence_category_id
            ).aggregate(s=Sum("amount_pence"))["s"]
            or 0
        )
    return total, outside


@transaction.atomic
def funding_set(
    *, actor, proposal: Proposal, allocations: dict[int, int]
) -> list[FundingAttribution]:
    """Record which contributions paid for a proposal. Never more than a contribution
    holds, never more than the project costs, and ring-fenced money goes only to its
    category (the rest of a contribution may go anywhere)."""
    if proposal.status not in DELIVERABLE:
        raise ValidationError(_("Only funded proposals are paid for."))
    errors = []
    contributions = {c.pk: c for c in _budget_contributions(proposal)}
    total = 0
    for cid, amount in allocations.items():
        if amount <= 0:
            continue
        c = contributions.get(cid)
        if c is None:
            errors.append(_("That contribution is not part of this place's budget."))
            continue
        Contribution.objects.select_for_update().filter(pk=c.pk).first()
        used, outside = _used(c, exclude_proposal=proposal)
        if used + amount > c.amount_pence:
            errors.append(
                _("%(b)s's contribution has %(l)s left; %(a)s was asked for.")
                % {
                    "b": c.body.name,
                    "l": pounds(c.amount_pence - used),
                    "a": pounds(amount),
                }
            )
        if (
            c.ring_fence_category_id
            and proposal.category_id != c.ring_fence_category_id
        ):
            free = c.amount_pence - c.ring_fenced_pence
            if outside + amount > free:
                errors.append(
                    _(
                        "%(r)s of %(b)s's contribution is ring-fenced for %(c)s; only %(f)s may pay for other projects."
                    )
                    % {
                        "r": pounds(c.ring_fenced_pence),
                        "b": c.body.name,
                        "c": c.ring_fence_category.name,
                        "f": pounds(max(0, free - outside)),
                    }
                )
        total += amount
    if total > proposal.cost_pence:
        errors.append(
            _("The amounts add up to %(t)s, more than the project's cost of %(c)s.")
            % {"t": pounds(total), "c": pounds(proposal.cost_pence)}
        )
    if errors:
        raise ValidationError(errors)
    FundingAttribution.objects.filter(proposal=proposal).delete()
    rows = FundingAttribution.objects.bulk_create(
        FundingAttribution(proposal=proposal, contribution_id=cid, amount_pence=amount)
        for cid, amount in allocations.items()
        if amount > 0
    )
    audit_record(
        actor=actor,
        action="delivery.funding",
        target=proposal,
        place=proposal.forum.place,
        summary=_("Funding recorded for “%(p)s”: %(t)s")
        % {"p": proposal.title[:80], "t": pounds(total)},
        data={str(k): v for k, v in allocations.items()},
    )
    return rows


def funding_suggest(proposal: Proposal) -> dict[int, int]:
    """A split that honours ring-fences: money ring-fenced for the project's category
    first, then the other contributions' free money, largest first."""
    need = proposal.cost_pence
    plan: dict[int, int] = {}
    contributions = list(_budget_contributions(proposal))
    fenced = [
        c for c in contributions if c.ring_fence_category_id == proposal.category_id
    ]
    others = [c for c in contributions if c not in fenced]
    for c in fenced + sorted(others, key=lambda c: -c.amount_pence):
        if need <= 0:
            break
        used, outside = _used(c, exclude_proposal=proposal)
        room = c.amount_pence - used
        if (
            c.ring_fence_category_id
            and c.ring_fence_category_id != proposal.category_id
        ):
            room = min(room, c.amount_pence - c.ring_fenced_pence - outside)
        take = max(0, min(room, need))
        if take:
            plan[c.pk] = take
            need -= take
    return plan


@transaction.atomic
def benefit_record(
    *, actor, proposal: Proposal, body, note: str, value_pence: int | None
) -> ExpectedBenefit:
    benefit = ExpectedBenefit(
        proposal=proposal,
        body=body,
        note=note,
        estimated_value_pence=value_pence,
        recorded_by=actor,
    )
    benefit.full_clean()
    benefit.save()
    audit_record(
        actor=actor,
        action="delivery.benefit",
        target=benefit,
        place=proposal.forum.place,
        summary=_("%(b)s expects to benefit from “%(p)s”")
        % {"b": body.name, "p": proposal.title[:80]},
    )
    return benefit


@transaction.atomic
def recipient_set(*, actor, proposal: Proposal, data: dict) -> GrantRecipient:
    """Record (or correct) the organisation a funded project's grant goes to."""
    if proposal.status not in DELIVERABLE:
        raise ValidationError(_("Only a funded project has a grant recipient."))
    recipient = GrantRecipient.objects.filter(proposal=proposal).first()
    recipient = recipient or GrantRecipient(proposal=proposal)
    for name in ("name", "charity_number", "company_number", "award_date"):
        setattr(recipient, name, data[name])
    recipient.recorded_by = actor
    recipient.full_clean()
    recipient.save()
    audit_record(
        actor=actor,
        action="delivery.recipient",
        target=recipient,
        place=proposal.forum.place,
        summary=_("“%(p)s” is granted to %(o)s")
        % {"p": proposal.title[:80], "o": recipient.name},
    )
    return recipient
