"""Permissions in forums, each declared once (see civic/permissions.py)."""

import rules

from civic.permissions import (
    COUNCILLOR,
    OFFICER,
    ORGANISER,
    always_allow,
    declare,
    has_verified_email,
    is_authenticated,
    member,
)


@rules.predicate
def is_author(user, obj) -> bool:
    author_id = getattr(obj, "author_id", None)
    return user.is_authenticated and author_id is not None and author_id == user.pk


@rules.predicate
def thread_open(user, obj) -> bool:
    thread = getattr(obj, "thread", obj)
    return not getattr(thread, "comments_locked", False) and not getattr(
        thread, "hidden", False
    )


@rules.predicate
def is_public_proposal(user, obj) -> bool:
    return getattr(obj, "is_public", True) and not getattr(obj, "hidden", False)


signed_in_with_email = is_authenticated & has_verified_email

declare("forums.view_forum", others=always_allow)
# Officers set forums up (in the back office); organisers run them.
declare("forums.set_up_forum", roles=[OFFICER])
declare("forums.join_forum", others=signed_in_with_email)
declare("forums.follow_forum", others=is_authenticated)
declare("forums.submit_idea", others=member)
declare("forums.edit_idea", others=is_author)
declare("forums.view_idea", others=always_allow)
declare("forums.review_ideas", roles=[ORGANISER])
declare("forums.manage_members", roles=[ORGANISER])
declare("forums.manage_codes", roles=[ORGANISER])
declare("forums.create_proposal", roles=[ORGANISER])
declare("forums.edit_proposal", roles=[ORGANISER])
declare("forums.transition_proposal", roles=[ORGANISER], others=is_author)
declare(
    "forums.view_proposal",
    roles=[ORGANISER, COUNCILLOR, OFFICER],
    others=is_public_proposal | is_author,
)
# Organisers take part in the debates of the forums they organise, as residents do.
declare("forums.comment", roles=[ORGANISER], others=member, when=thread_open)
declare("forums.edit_comment", others=is_author)
declare("forums.start_topic", others=member)
declare("forums.react", others=member)
declare("forums.report", others=signed_in_with_email)
declare("forums.moderate", roles=[ORGANISER, COUNCILLOR])
