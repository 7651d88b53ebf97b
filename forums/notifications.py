"""Who hears about what happens in a forum, honouring each person's email choices."""

from civic.models import Role, RoleKind, User
from civic.notify import send


def organisers_of(forum):
    ids = (
        Role.objects.covering(forum.place)
        .filter(kind=RoleKind.ORGANISER)
        .values("user")
    )
    return User.objects.filter(pk__in=ids)


def membership_requested(membership):
    send(
        "membership_requested",
        organisers_of(membership.forum),
        {"membership": membership, "forum": membership.forum},
    )


def idea_reviewed(idea):
    if idea.author_id:
        send("idea_reviewed", [idea.author], {"idea": idea, "forum": idea.forum})


def comment_posted(comment):
    thread = comment.thread
    told = {comment.author_id}
    if comment.parent_id and comment.parent.author_id not in told:
        parent_author = comment.parent.author
        if parent_author and parent_author.notify_replies:
            send(
                "comment_reply", [parent_author], {"comment": comment, "thread": thread}
            )
            told.add(parent_author.pk)
    author = getattr(thread, "author", None)
    if author and author.pk not in told and author.notify_proposal_comments:
        send("comment_on_yours", [author], {"comment": comment, "thread": thread})
