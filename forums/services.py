"""Writes in forums. Each service checks the domain rules, saves atomically and audits."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.audit import audit_record
from civic.errors import DomainError
from civic.framework import resolve_rules
from civic.models import RoleKind, VerificationMethod
from civic.money import pounds
from civic.ratelimit import limit
from civic.selectors import current_budget
from civic.services import role_grant

from . import notifications
from .gallery import attach, copy_to_proposal
from .models import (
    Comment,
    Follow,
    Forum,
    Idea,
    IdeaStatus,
    Membership,
    MembershipStatus,
    Proposal,
    ProposalStatus,
    ProposalTransition,
    Reaction,
    Report,
    Topic,
    VerificationCode,
    VerificationCodeBatch,
    normalise_code,
)
from .sanitise import clean_html
from .workflow import BY_THE_AUTHOR, BY_THE_COUNT, TransitionError, check_transition

EDIT_WINDOW = dt.timedelta(minutes=15)
COMMENT_LIMIT = (10, 5 * 60)  # 10 comments per 5 minutes
IDEA_LIMIT = (5, 60 * 60)  # 5 ideas per hour


class ForumError(DomainError):
    """A forum action refused for a reason the person can act on."""


# Membership -------------------------------------------------------------------------


def _verify(membership: Membership, *, method: str, actor=None) -> Membership:
    membership.status = MembershipStatus.VERIFIED
    membership.method = method
    membership.verified_at = timezone.now()
    membership.decided_by = actor
    membership.save()
    role_grant(
        actor=actor,
        user=membership.user,
        place=membership.forum.place,
        kind=RoleKind.RESIDENT,
        verification_method=method,
    )
    Follow.objects.get_or_create(forum=membership.forum, user=membership.user)
    return membership


@transaction.atomic
def forum_join(
    *,
    user,
    forum: Forum,
    method: str,
    postcode: str = "",
    code: str = "",
    message: str = "",
) -> Membership:
    """Join a forum by one of the verification methods its framework rules allow."""
    allowed = resolve_rules(forum.place).verification_methods
    if method not in allowed:
        raise ForumError(
            _("%(forum)s does not accept that way of verifying residency.")
            % {"forum": forum}
        )
    membership = (
        Membership.objects.select_for_update().filter(forum=forum, user=user).first()
    )
    if membership and membership.status == MembershipStatus.VERIFIED:
        raise ForumError(_("You are already a verified member of this forum."))
    membership = membership or Membership(forum=forum, user=user)
    membership.method = method
    membership.message = message[:500]
    membership.requested_at = timezone.now()
    if method == VerificationMethod.POSTCODE:
        from civic.models import normalise_postcode

        postcode = normalise_postcode(postcode)
        if not forum.place.covers_postcode(postcode):
            raise ForumError(
                _(
                    "%(pc)s is not in %(place)s. If you live here, ask for a code or for approval."
                )
                % {"pc": postcode or _("That postcode"), "place": forum.place.name}
            )
        membership.declared_postcode = postcode
        if not user.postcode:
            user.postcode = postcode
            user.save(update_fields=["postcode"])
        return _verify(membership, method=method)
    if method == VerificationMethod.CODE:
        code_row = _redeem_code(
            forum=forum, code=code, user=user, used_for="membership"
        )
        membership = _verify(membership, method=method)
        audit_record(
            actor=user,
            action="membership.code",
            target=membership,
            place=forum.place,
            summary=_("Residency verified with code %(c)s…") % {"c": code_row.code[:3]},
        )
        return membership
    membership.status = MembershipStatus.PENDING
    membership.save()
    transaction.on_commit(lambda: notifications.membership_requested(membership))
    return membership


def _redeem_code(*, forum: Forum, code: str, user, used_for: str) -> VerificationCode:
    normalised = normalise_code(code)
    row = (
        VerificationCode.objects.select_for_update()
        .select_related("batch__forum")
        .filter(code=normalised)
        .first()
    )
    if row is None:
        raise ForumError(
            _("That code was not recognised. Check it against your letter.")
        )
    if row.batch.forum_id != forum.pk:
        raise ForumError(_("That code belongs to a different neighbourhood."))
    if row.used_at is not None:
        raise ForumError(_("That code has already been used. Each code works once."))
    if row.batch.expires_at < timezone.now():
        raise ForumError(
            _("That code has expired. Ask the forum organisers for a new one.")
        )
    row.used_by = user
    row.used_at = timezone.now()
    row.used_for = used_for
    row.save(update_fields=["used_by", "used_at", "used_for"])
    return row


redeem_code = _redeem_code


@transaction.atomic
def membership_decide(*, actor, membership: Membership, approve: bool) -> Membership:
    if membership.status != MembershipStatus.PENDING:
        raise ForumError(_("This request has already been decided."))
    if approve:
        _verify(membership, method=VerificationMethod.APPROVAL, actor=actor)
    else:
        membership.status = MembershipStatus.REJECTED
        membership.decided_by = actor
        membership.save()
    audit_record(
        actor=actor,
        action="membership.approve" if approve else "membership.reject",
        target=membership,
        place=membership.forum.place,
        summary=_("Membership request #%(id)s %(what)s")
        % {"id": membership.pk, "what": _("approved") if approve else _("declined")},
    )
    return membership


@transaction.atomic
def codes_generate(
    *, actor, forum: Forum, count: int, days_valid: int, note: str = ""
) -> VerificationCodeBatch:
    if not 1 <= count <= 5000:
        raise ForumError(_("Generate between 1 and 5,000 codes at a time."))
    if not 1 <= days_valid <= 730:
        raise ForumError(_("Codes must be valid for between 1 and 730 days."))
    batch = VerificationCodeBatch.objects.create(
        forum=forum,
        created_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=days_valid),
        note=note[:200],
    )
    codes: set[str] = set()
    from .models import new_code

    while len(codes) < count:
        codes.add(new_code())
    VerificationCode.objects.bulk_create(
        VerificationCode(batch=batch, code=c) for c in codes
    )
    audit_record(
        actor=actor,
        action="codes.generate",
        target=batch,
        place=forum.place,
        summary=_("%(n)s verification codes generated for %(f)s")
        % {"n": count, "f": forum},
    )
    return batch


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
    if problems:
        raise ValidationError({"cost_pence": problems})


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
    *, actor, proposal: Proposal, to: str, reason: str = "", by_count: bool = False
) -> Proposal:
    """Move a proposal along its lifecycle; illegal moves are refused with a message."""
    proposal = (
        Proposal.objects.select_for_update()
        .select_related("forum__place")
        .get(pk=proposal.pk)
    )
    current = proposal.status
    check_transition(current, to, reason)
    if to in BY_THE_COUNT and not by_count:
        raise TransitionError(_("Only the count decides whether a proposal is funded."))
    if (
        actor is not None
        and not by_count
        and not actor.has_perm("forums.edit_proposal", proposal)
        and not (
            # Delivery steps may also be taken by those who post delivery milestones.
            to in (ProposalStatus.IN_DELIVERY, ProposalStatus.DELIVERED)
            and actor.has_perm("forums.post_milestone", proposal)
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


# Debate -----------------------------------------------------------------------------


@transaction.atomic
def topic_create(*, author, forum: Forum, title: str, body: str) -> Topic:
    limit(
        f"comment:{author.pk}",
        max_hits=COMMENT_LIMIT[0],
        per_seconds=COMMENT_LIMIT[1],
        what=_("comments"),
    )
    topic = Topic(forum=forum, author=author, title=title, body=clean_html(body))
    if not topic.body or not title.strip():
        raise ForumError(
            _("Give the discussion a title and write something to start it.")
        )
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def comment_post(
    *, author, thread: Proposal | Topic, body: str, parent: Comment | None = None
) -> Comment:
    if getattr(thread, "comments_locked", False):
        raise ForumError(_("This discussion has been locked by a moderator."))
    if parent is not None and parent.thread != thread:
        raise ForumError(_("You can only reply to a comment in the same discussion."))
    if not body or not body.strip():
        raise ForumError(_("Write something before posting."))
    limit(
        f"comment:{author.pk}",
        max_hits=COMMENT_LIMIT[0],
        per_seconds=COMMENT_LIMIT[1],
        what=_("comments"),
    )
    comment = Comment(
        forum=thread.forum,
        proposal=thread if isinstance(thread, Proposal) else None,
        topic=thread if isinstance(thread, Topic) else None,
        parent=parent,
        depth=(parent.depth + 1) if parent else 0,
        author=author,
        body=clean_html(body),
    )
    if not comment.body:
        raise ForumError(
            _("Nothing would be left of that comment once unsafe markup is removed.")
        )
    if len(comment.body) > 20000:
        raise ForumError(
            _("That comment is too long: keep it under 10,000 characters.")
        )
    comment.save()
    transaction.on_commit(lambda: notifications.comment_posted(comment))
    return comment


@transaction.atomic
def comment_edit(*, author, comment: Comment, body: str) -> Comment:
    if comment.author_id != author.pk:
        raise ForumError(_("You can only edit your own comments."))
    if timezone.now() - comment.created_at > EDIT_WINDOW:
        raise ForumError(_("Comments can be edited for 15 minutes after posting."))
    if comment.hidden:
        raise ForumError(_("A hidden comment cannot be edited."))
    if not body.strip():
        raise ForumError(_("Write something before saving."))
    comment.body = clean_html(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


@transaction.atomic
def reaction_toggle(*, user, comment: Comment, value: int) -> Comment:
    """Agree or disagree once; the same choice again takes it back; the other switches."""
    if value not in (Reaction.AGREE, Reaction.DISAGREE):
        raise ForumError(_("Unknown reaction."))
    existing = (
        Reaction.objects.select_for_update().filter(comment=comment, user=user).first()
    )
    field = {Reaction.AGREE: "agree_count", Reaction.DISAGREE: "disagree_count"}
    if existing and existing.value == value:
        existing.delete()
        Comment.objects.filter(pk=comment.pk).update(
            **{field[value]: F(field[value]) - 1}
        )
    elif existing:
        Comment.objects.filter(pk=comment.pk).update(
            **{
                field[existing.value]: F(field[existing.value]) - 1,
                field[value]: F(field[value]) + 1,
            }
        )
        existing.value = value
        existing.save(update_fields=["value"])
    else:
        try:
            with transaction.atomic():
                Reaction.objects.create(comment=comment, user=user, value=value)
        except IntegrityError:
            return comment  # a concurrent click already counted
        Comment.objects.filter(pk=comment.pk).update(
            **{field[value]: F(field[value]) + 1}
        )
    comment.refresh_from_db(fields=["agree_count", "disagree_count"])
    return comment


# Moderation -------------------------------------------------------------------------


@transaction.atomic
def report_create(*, user, target: Comment | Proposal, reason: str) -> Report:
    if not reason.strip():
        raise ForumError(_("Say what is wrong so moderators can act."))
    limit(f"report:{user.pk}", max_hits=20, per_seconds=3600, what=_("reports"))
    report = Report(
        forum=target.forum,
        reporter=user,
        reason=reason[:500],
        comment=target if isinstance(target, Comment) else None,
        proposal=target if isinstance(target, Proposal) else None,
    )
    report.save()
    return report


def _target_label(target) -> str:
    return f"{target._meta.verbose_name} #{target.pk}"


@transaction.atomic
def moderate(*, actor, target, action: str, reason: str = "") -> None:
    """Hide (with a public reason), restore, lock or unlock. Nothing is ever deleted."""
    if action == "hide":
        if not reason.strip():
            raise ForumError(
                _("Give the public reason shown in place of the hidden text.")
            )
        target.hidden, target.hidden_reason = True, reason[:300]
        target.save(update_fields=["hidden", "hidden_reason"])
    elif action == "restore":
        target.hidden, target.hidden_reason = False, ""
        target.save(update_fields=["hidden", "hidden_reason"])
    elif action in ("lock", "unlock"):
        if not hasattr(target, "comments_locked"):
            raise ForumError(_("Only a discussion can be locked."))
        target.comments_locked = action == "lock"
        target.save(update_fields=["comments_locked"])
    else:
        raise ForumError(_("Unknown moderation action."))
    Report.objects.filter(
        resolved_at__isnull=True,
        **(
            {"comment": target}
            if isinstance(target, Comment)
            else {"proposal": target}
            if isinstance(target, Proposal)
            else {"pk__in": []}
        ),
    ).update(resolved_at=timezone.now(), resolved_by=actor, resolution=action)
    audit_record(
        actor=actor,
        action=f"moderation.{action}",
        target=target,
        place=target.forum.place,
        summary=_("%(what)s: %(action)s")
        % {"what": _target_label(target), "action": action},
        data={"reason": reason[:300]},
    )


@transaction.atomic
def report_dismiss(*, actor, report: Report) -> None:
    report.resolved_at, report.resolved_by, report.resolution = (
        timezone.now(),
        actor,
        "dismissed",
    )
    report.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    audit_record(
        actor=actor,
        action="moderation.dismiss",
        target=report,
        place=report.forum.place,
        summary=_("Report #%(id)s dismissed") % {"id": report.pk},
    )


def follow_toggle(*, user, forum: Forum) -> bool:
    deleted, _n = Follow.objects.filter(forum=forum, user=user).delete()
    if deleted:
        return False
    Follow.objects.get_or_create(forum=forum, user=user)
    return True
