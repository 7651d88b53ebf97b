"""What the register holds about a person: that they voted, never how."""

from __future__ import annotations

from .models import VoterRecord


def export(user) -> dict:
    return {
        "votes": [
            {
                "cycle": v.cycle.name,
                "channel": v.channel,
                "when": v.voted_at.isoformat(),
                "note": "How you voted is not linked to you and cannot be included.",
            }
            for v in VoterRecord.objects.filter(user=user).select_related("cycle")
        ]
    }


def erase(user) -> None:
    """The register keeps an anonymous "someone voted" row, so turnout stays right."""
    VoterRecord.objects.filter(user=user).update(user=None, erased=True)
