"""Ideas and proposals: residents' ideas, their review, costed proposals and their moves through the workflow."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.audit import audit_record
from civic.framework import resolve_rules
from civic.money import pounds
from civic.ratelimit import limit
from civic.selectors import current_budget
from forums import notifications
from forums.gallery import attach, copy_to_proposal
from forums.models import (
    Forum,
    Idea,
    IdeaStatus,
    Proposal,
    ProposalStatus,
    ProposalTransition,
)
from forums.sanitise import clean_html
from forums.services.common import IDEA_LIMIT, ForumError
from forums.workflow import (
    BY_DECISION,
    BY_THE_AUTHOR,
    BY_THE_COUNT,
    TransitionError,
    check_transition,
)

# Ideas and proposals ----------------------------------------------------------------


@transaction.atomic
def idea_submit(*, author, forum: Forum, data: dict) -> Idea:
    limit(
        f"idea:{author.pk}",
        max_hits=IDEA_LIMIT[0],
        per_seconds=IDEA_LIMIT[1],
        what=_("ideas"),
    )
    media = data.pop("media", None)
    idea = Idea(forum=forum, author=author, **data)
    idea.description = clean_html(idea.description)
    idea.full_clean()
    idea.save()
    attach(actor=author, target=idea, media=media)
    return idea


@transaction.atomic
def idea_update(*, author, idea: Idea, data: dict) -> Idea:
    if idea.status not in (IdeaStatus.SUBMITTED, IdeaStatus.CHANGES_REQUESTED):
        raise ForumError(_("This idea has been reviewed and can no longer be edited."))
    media = data.pop("media", None)
    for key, value in data.items():
        setattr(idea, key, value)
    idea.description = clean_html(idea.description)
    idea.status = IdeaStatus.SUBMITTED
    idea.full_clean()
    idea.save()
    attach(actor=author, target=idea, media=media)
    return idea


def check_cost_rules(proposal: Proposal) -> None:
    """Refuse a cost that breaks the place's framework rules, naming the rule and limit."""
    problems = cost_rule_problems(proposal)
    if problems:
        raise ValidationError({"cost_pence": problems})


def cost_rule_problems(proposal: Proposal) -> list[str]:
    """Every framework cost rule `proposal`'s cost breaks, in words."""
    rules = resolve_rules(proposal.forum.place)
    cost = proposal.cost_pence
    problems = []
    if rules.project_cost_min_pence and cost < rules.project_cost_min_pence:
        problems.append(
            _("The cost %(c)s is below the minimum project cost of %(l)s set by %(s)s.")
            % {
                "c": pounds(cost),
                "l": pounds(rules.project_cost_min_pence),
                "s": _source(rules, "project_cost_min_pence"),
            }
        )
    if rules.project_cost_max_pence and cost > rules.project_cost_max_pence:
        problems.append(
            _("The cost %(c)s is above the maximum project cost of %(l)s set by %(s)s.")
            % {
                "c": pounds(cost),
                "l": pounds(rules.project_cost_max_pence),
                "s": _source(rules, "project_cost_max_pence"),
            }
        )
    budget = current_budget(proposal.forum.place)
    if budget is not None and rules.max_share_percent and rules.max_share_percent < 100:
        cap = budget.total_pence * rules.max_share_percent // 100
        if cost > cap:
            problems.append(
                _(
                    "The cost %(c)s is more than %(p)s%% of the %(b)s budget (%(l)s), the "
                    "largest share one project may take under the rules set by %(s)s."
                )
                % {
                    "c": pounds(cost),
                    "p": rules.max_share_percent,
                    "b": pounds(budget.total_pence),
                    "l": pounds(cap),
                    "s": _source(rules, "max_share_percent"),
                }
            )
    return problems


def _source(rules, name) -> str:
    source = rules[name].source
    return source.name if source else _("the platform")


def _record(
    proposal: Proposal, *, actor, from_status: str, to_status: str, reason: str = ""
) -> None:
    ProposalTransition.objects.create(
        proposal=proposal,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
    )


@transaction.atomic
def idea_review(
    *,
    actor,
    idea: Idea,
    action: str,
    note: str = "",
    merge_into: Idea | None = None,
    proposal_data: dict | None = None,
) -> Idea | Proposal:
    """Organisers' decision on an idea: merge, ask for changes, reject, or accept."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.status not in (IdeaStatus.SUBMITTED, IdeaStatus.CHANGES_REQUESTED):
        raise ForumError(_("This idea has already been reviewed."))
    if action in ("reject", "changes") and not note.strip():
        raise ForumError(_("Give a reason: it is shown to the author and the public."))
    idea.reviewed_by = actor
    idea.review_note = note
    result: Idea | Proposal = idea
    if action == "merge":
        if (
            merge_into is None
            or merge_into.pk == idea.pk
            or merge_into.forum_id != idea.forum_id
        ):
            raise ForumError(_("Choose another idea in this forum to merge into."))
        idea.status, idea.merged_into = IdeaStatus.MERGED, merge_into
    elif action == "changes":
        idea.status = IdeaStatus.CHANGES_REQUESTED
    elif action == "reject":
        idea.status = IdeaStatus.REJECTED
    elif action == "accept":
        data = {
            "title": idea.title,
            "summary": idea.summary,
            "description": idea.description,
            "category": idea.category,
            "location_text": idea.location_text,
            "latitude": idea.latitude,
            "longitude": idea.longitude,
            **(proposal_data or {}),
        }
        if data.get("cost_pence") is None:
            raise ForumError(_("Give the official cost estimate."))
        proposal = Proposal(
            forum=idea.forum,
            idea=idea,
            author=idea.author,
            status=ProposalStatus.UNDER_REVIEW,
            **data,
        )
        proposal.description = clean_html(proposal.description)
        proposal.full_clean()
        # The framework's cost rules are checked now, not first at publishing.
        problems = cost_rule_problems(proposal)
        if problems:
            raise ForumError(" ".join(problems))
        proposal.save()
        copy_to_proposal(idea, proposal)
        _record(
            proposal,
            actor=actor,
            from_status="",
            to_status=ProposalStatus.UNDER_REVIEW,
            reason=_("Created from a resident's idea after review."),
        )
        idea.status = IdeaStatus.ACCEPTED
        result = proposal
    else:
        raise ForumError(_("Unknown review action."))
    idea.save()
    audit_record(
        actor=actor,
        action=f"idea.{action}",
        target=idea,
        place=idea.forum.place,
        summary=_("Idea “%(t)s”: %(a)s")
        % {"t": idea.title[:80], "a": idea.get_status_display()},
        data={"note": note[:300]},
    )
    transaction.on_commit(lambda: notifications.idea_reviewed(idea))
    return result


@transaction.atomic
def proposal_create(*, actor, forum: Forum, data: dict) -> Proposal:
    media = data.pop("media", None)
    proposal = Proposal(forum=forum, author=actor, status=ProposalStatus.DRAFT, **data)
    proposal.description = clean_html(proposal.description)
    proposal.full_clean()
    proposal.save()
    attach(actor=actor, target=proposal, media=media)
    _record(proposal, actor=actor, from_status="", to_status=ProposalStatus.DRAFT)
    return proposal


@transaction.atomic
def proposal_update(*, actor, proposal: Proposal, data: dict) -> Proposal:
    if proposal.status in (
        ProposalStatus.SHORTLISTED,
        *BY_THE_COUNT,
        ProposalStatus.IN_DELIVERY,
        ProposalStatus.DELIVERED,
    ):
        raise ForumError(
            _("A proposal on the ballot or decided can no longer be edited.")
        )
    media = data.pop("media", None)
    for key, value in data.items():
        setattr(proposal, key, value)
    proposal.description = clean_html(proposal.description)
    if proposal.status in (ProposalStatus.PUBLISHED,):
        check_cost_rules(proposal)
    proposal.full_clean()
    proposal.save()
    attach(actor=actor, target=proposal, media=media)
    audit_record(
        actor=actor,
        action="proposal.edit",
        target=proposal,
        place=proposal.forum.place,
        summary=_("Proposal “%(t)s” edited") % {"t": proposal.title[:80]},
    )
    return proposal


@transaction.atomic
def proposal_transition(
    *,
    actor,
    proposal: Proposal,
    to: str,
    reason: str = "",
    by_count: bool = False,
    by_decision: bool = False,
    by_delivery: bool = False,
) -> Proposal:
    """Move a proposal along its lifecycle; illegal moves are refused with a message.
    `by_count`: the count's result; `by_decision`: a published councillors' decision
    to fund it outside the vote; `by_delivery`: a delivery milestone's step (into or
    out of delivery), whose poster's permission the milestone's service asked."""
    proposal = (
        Proposal.objects.select_for_update()
        .select_related("forum__place")
        .get(pk=proposal.pk)
    )
    current = proposal.status
    check_transition(current, to, reason)
    if by_decision and (current, to) not in BY_DECISION:
        raise TransitionError(
            _("A decision funds a proposal that is published or was not funded.")
        )
    if to in BY_THE_COUNT and not (by_count or by_decision):
        raise TransitionError(_("Only the count decides whether a proposal is funded."))
    if (
        by_count
        and (current, to) in BY_DECISION
        and current != ProposalStatus.SHORTLISTED
    ):
        raise TransitionError(_("The count decides only proposals on its ballot."))
    if (
        actor is not None
        and not by_count
        and not by_decision
        and not actor.has_perm("forums.edit_proposal", proposal)
        and not (
            by_delivery and to in (ProposalStatus.IN_DELIVERY, ProposalStatus.DELIVERED)
        )
    ):
        if (current, to) not in BY_THE_AUTHOR or proposal.author_id != actor.pk:
            raise TransitionError(_("You may not make this change to the proposal."))
    if to == ProposalStatus.PUBLISHED:
        check_cost_rules(proposal)
        proposal.published_at = timezone.now()
    proposal.status = to
    proposal.status_reason = reason
    proposal.save()
    _record(proposal, actor=actor, from_status=current, to_status=to, reason=reason)
    audit_record(
        actor=actor,
        action="proposal.transition",
        target=proposal,
        place=proposal.forum.place,
        summary=_("Proposal “%(t)s”: %(a)s → %(b)s")
        % {
            "t": proposal.title[:80],
            "a": ProposalStatus(current).label,
            "b": ProposalStatus(to).label,
        },
        data={"from": current, "to": to, "reason": reason[:300]},
    )
    return proposal
