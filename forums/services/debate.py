"""Debate: topics, threaded comments (edited within a window), reactions."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.ratelimit import limit
from forums import notifications
from forums.models import (
    Comment,
    Forum,
    Proposal,
    Reaction,
    Topic,
)
from forums.sanitise import clean_html
from forums.services.common import COMMENT_LIMIT, EDIT_WINDOW, ForumError

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
