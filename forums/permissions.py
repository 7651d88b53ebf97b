"""Permissions in forums: composed predicates over civic roles (see civic/permissions.py)."""

import rules

from civic.permissions import (
    ROLE_ONLY,
    has_mfa,
    has_verified_email,
    is_authenticated,
    is_councillor,
    is_officer,
    is_organiser,
    is_resident,
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


member = is_authenticated & has_verified_email & is_resident
organiser = is_authenticated & is_organiser
moderator = is_authenticated & (is_organiser | (is_councillor & has_mfa))
staff = organiser | (is_authenticated & (is_councillor | is_officer) & has_mfa)

rules.add_perm("forums.view_forum", rules.always_allow)
rules.add_perm("forums.join_forum", is_authenticated & has_verified_email)
rules.add_perm("forums.follow_forum", is_authenticated)
rules.add_perm("forums.submit_idea", member)
rules.add_perm("forums.edit_idea", is_authenticated & is_author)
rules.add_perm("forums.view_idea", rules.always_allow)
rules.add_perm("forums.review_ideas", organiser)
rules.add_perm("forums.manage_members", organiser)
rules.add_perm("forums.manage_codes", organiser)
rules.add_perm("forums.create_proposal", organiser)
rules.add_perm("forums.edit_proposal", organiser)
rules.add_perm("forums.transition_proposal", organiser | is_author)
rules.add_perm("forums.view_proposal", is_public_proposal | staff | is_author)
# Organisers take part in the debates of the forums they organise, as residents do.
rules.add_perm("forums.comment", (member | organiser) & thread_open)
rules.add_perm("forums.edit_comment", is_authenticated & is_author)
rules.add_perm("forums.start_topic", member)
rules.add_perm("forums.react", member)
rules.add_perm("forums.report", is_authenticated & has_verified_email)
rules.add_perm("forums.moderate", moderator)
rules.add_perm("forums.view_moderation_queue", moderator)

ROLE_ONLY["forums.moderate"] = is_organiser | is_councillor
ROLE_ONLY["forums.view_moderation_queue"] = is_organiser | is_councillor
rules.add_perm(
    "forums.post_milestone", organiser | (is_authenticated & is_officer & has_mfa)
)
rules.add_perm("forums.attribute_funding", is_authenticated & is_officer & has_mfa)
rules.add_perm("forums.record_benefit", is_authenticated & is_officer & has_mfa)
ROLE_ONLY["forums.attribute_funding"] = is_officer
ROLE_ONLY["forums.record_benefit"] = is_officer
