"""What every forum service shares: the refusal, edit window and posting limits."""

from __future__ import annotations

import datetime as dt

from civic.errors import DomainError

EDIT_WINDOW = dt.timedelta(minutes=15)
COMMENT_LIMIT = (10, 5 * 60)  # 10 comments per 5 minutes
IDEA_LIMIT = (5, 60 * 60)  # 5 ideas per hour


class ForumError(DomainError):
    """A forum action refused for a reason the person can act on."""
