"""The proposal lifecycle as an explicit state machine.

draft → submitted → under review → published → shortlisted → (funded | not funded)
→ in delivery → delivered; withdrawn and rejected (with a reason) from the early states.
Anything not in TRANSITIONS is refused.
"""

from django.utils.translation import gettext as _

from civic.errors import DomainError

from .models import ProposalStatus as S

TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.UNDER_REVIEW, S.WITHDRAWN, S.REJECTED},
    S.UNDER_REVIEW: {S.PUBLISHED, S.DRAFT, S.WITHDRAWN, S.REJECTED},
    S.PUBLISHED: {S.SHORTLISTED, S.WITHDRAWN, S.REJECTED, S.FUNDED},
    S.SHORTLISTED: {S.FUNDED, S.NOT_FUNDED, S.WITHDRAWN},
    S.FUNDED: {S.IN_DELIVERY},
    S.IN_DELIVERY: {S.DELIVERED},
    S.NOT_FUNDED: {S.FUNDED},
    S.DELIVERED: set(),
    S.WITHDRAWN: set(),
    S.REJECTED: set(),
}

# A reason is shown publicly for these moves; "back to draft" is a request for changes.
REASON_REQUIRED = {S.REJECTED, S.WITHDRAWN, S.DRAFT}

# Moves the count makes (the tally), never a person through the proposal page.
BY_THE_COUNT = {S.FUNDED, S.NOT_FUNDED}

# Funding outside the vote: only a councillors' published decision (accountability)
# moves a proposal that was published, or not funded by the count, to funded.
BY_DECISION = {
    (S.PUBLISHED, S.FUNDED),
    (S.SHORTLISTED, S.FUNDED),
    (S.NOT_FUNDED, S.FUNDED),
}

# Funded and after: the proposal is delivered, so it has milestones and funders.
DELIVERABLE = (S.FUNDED, S.IN_DELIVERY, S.DELIVERED)

# Moves the author may make on their own proposal.
BY_THE_AUTHOR = {
    (S.DRAFT, S.SUBMITTED),
    (S.DRAFT, S.WITHDRAWN),
    (S.SUBMITTED, S.WITHDRAWN),
}


class TransitionError(DomainError):
    """A move the proposal state machine does not allow."""


def check_transition(current: str, target: str, reason: str) -> None:
    if target not in TRANSITIONS.get(current, set()):
        raise TransitionError(
            _("A proposal that is '%(a)s' cannot become '%(b)s'.")
            % {"a": S(current).label, "b": S(target).label}
        )
    if target in REASON_REQUIRED and not reason.strip():
        raise TransitionError(
            _("Give a reason: it is shown publicly when a proposal becomes '%(b)s'.")
            % {"b": S(target).label}
        )


def allowed_targets(current: str) -> list[str]:
    return sorted(TRANSITIONS.get(current, set()) - BY_THE_COUNT)
