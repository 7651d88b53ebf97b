"""Recording, publishing and amending councillors' decisions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.audit import audit_record
from civic.models import Role, RoleKind, User
from civic.signals import decision_published
from forums.models import ProposalStatus
from forums.services import proposal_transition

from .models import Decision, DecisionKind, DecisionVote


def councillors_for(place):
    """Councillors whose role covers `place` (on it or above it)."""
    ids = Role.objects.covering(place).filter(kind=RoleKind.COUNCILLOR).values("user")
    return User.objects.filter(pk__in=ids).order_by("display_name", "email")


@transaction.atomic
def decision_save(
    *,
    actor,
    place,
    data: dict,
    votes: list[tuple],
    proposals=(),
    amends: Decision | None = None,
    decision: Decision | None = None,
) -> Decision:
    """Create or edit a draft decision. `votes` is [(councillor, vote, interest)]."""
    if decision is not None and decision.is_published:
        raise ValidationError(
            _("A published decision cannot be changed; record an amendment.")
        )
    if amends is not None and not amends.is_published:
        raise ValidationError(_("Only a published decision can be amended."))
    allowed = set(councillors_for(place).values_list("pk", flat=True))
    errors = []
    for councillor, _vote, _interest in votes:
        if councillor.pk not in allowed:
            errors.append(
                _("%(n)s is not a councillor for %(p)s.")
                % {"n": councillor.public_name, "p": place.name}
            )
    if not votes:
        errors.append(_("Record how at least one councillor voted."))
    cycle = data.get("cycle")
    if cycle is not None and not (
        cycle.place.path.startswith(place.path)
        or place.path.startswith(cycle.place.path)
    ):
        errors.append(_("That cycle is not for this place."))
    if errors:
        raise ValidationError(errors)
    decision = decision or Decision(place=place, created_by=actor)
    for key, value in data.items():
        setattr(decision, key, value)
    if amends is not None:
        decision.amends = amends
        decision.kind = DecisionKind.AMEND
    decision.full_clean(exclude=["proposals"])
    decision.save()
    decision.proposals.set(proposals)
    decision.votes.all().delete()
    DecisionVote.objects.bulk_create(
        DecisionVote(decision=decision, councillor=c, vote=v, interest_declared=i[:300])
        for c, v, i in votes
    )
    return decision


@transaction.atomic
def decision_publish(*, actor, decision: Decision) -> Decision:
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.is_published:
        raise ValidationError(_("This decision is already published."))
    decision.published_at = timezone.now()
    decision.reference = f"D-{decision.decided_on.year}-{decision.pk:04d}"
    # Save directly: the immutability guard applies from this moment on.
    Decision.objects.filter(pk=decision.pk).update(
        published_at=decision.published_at, reference=decision.reference
    )
    if decision.kind == DecisionKind.FUND_OUTSIDE_VOTE:
        # The decision funds its proposals: delivery can start on them.
        for proposal in decision.proposals.exclude(status=ProposalStatus.FUNDED):
            proposal_transition(
                actor=actor,
                proposal=proposal,
                to=ProposalStatus.FUNDED,
                by_decision=True,
                reason=_("Funded by decision %(r)s") % {"r": decision.reference},
            )
    audit_record(
        actor=actor,
        action="decision.publish",
        target=decision,
        place=decision.place,
        summary=_("Decision %(r)s published: %(t)s")
        % {"r": decision.reference, "t": decision.title[:120]},
        data={"amends": decision.amends_id, "kind": decision.kind},
    )
    transaction.on_commit(
        lambda: decision_published.send(sender=Decision, decision=decision)
    )
    return decision
