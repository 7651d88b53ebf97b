"""Membership of a forum: how a resident's residency was verified, and the one-time codes organisers post."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic import sealing
from civic.models import VerificationMethod
from forums.models.forum import Forum, InForum


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an organiser")
    VERIFIED = "verified", _("Verified resident")
    REJECTED = "rejected", _("Not approved")


class Membership(InForum, models.Model):
    """A resident's membership of a forum, with how and when their residency was verified."""

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    status = models.CharField(max_length=20, choices=MembershipStatus.choices)
    method = models.CharField(max_length=20, choices=VerificationMethod.choices)
    declared_postcode = models.CharField(max_length=10, blank=True)
    message = models.CharField(
        _("note for the organisers"),
        max_length=500,
        blank=True,
        help_text=_("For example, how you are connected to the neighbourhood."),
    )
    requested_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "user"], name="one_membership_per_forum"
            )
        ]

    def __str__(self):
        return f"{self.user} in {self.forum} ({self.status})"


def new_code() -> str:
    """Ten characters from an alphabet without look-alikes (no 0/O, 1/I/L)."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_code(text: str) -> str:
    """'abcde fghjk' or 'ABCDEFGHJK' → 'ABCDE-FGHJK', as codes are stored."""
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return f"{raw[:5]}-{raw[5:]}" if len(raw) == 10 else raw


CODE_LABEL = "posted-code"


class PostedCode(models.Model):
    """A one-use code printed on a letter. The database keeps a keyed digest of it to
    find it by (`code`; the key is outside the database, as for sealed ballots) and
    the code itself sealed under that key (`sealed_code`), for the officer's letters:
    a copy of the database alone can neither read a code nor vote with one."""

    code = models.CharField(
        max_length=64, unique=True, editable=False, help_text="HMAC-SHA256 of the code"
    )
    sealed_code = models.BinaryField(editable=False, default=b"")

    class Meta:
        abstract = True

    def __str__(self):
        return f"code #{self.pk}"

    @staticmethod
    def digest(text: str) -> str:
        """What `code` holds for the code typed as `text` (spaces, case, dash)."""
        return sealing.digest(normalise_code(text), CODE_LABEL)

    @staticmethod
    def digests(text: str) -> list[str]:
        """Every digest a code typed as `text` may be stored under (civic/sealing.py)."""
        return sealing.digests(normalise_code(text), CODE_LABEL)

    @classmethod
    def issued(cls, plain: str, **fields):
        """A new row for the code `plain` (not saved)."""
        code = cls.digest(plain)
        sealed = sealing.seal(normalise_code(plain).encode(), CODE_LABEL, code.encode())
        return cls(code=code, sealed_code=sealed, **fields)

    @property
    def plain(self) -> str:
        """The code as printed on the letter (unsealed with the key)."""
        return sealing.unseal(self.sealed_code, CODE_LABEL, self.code.encode()).decode()


class VerificationCodeBatch(InForum, models.Model):
    """A batch of one-time residency codes organisers print and post to households."""

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="code_batches"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Codes for {self.forum} ({self.created_at:%d %b %Y})"


class VerificationCode(PostedCode):
    """One code: works once, only for its forum's place, until the batch expires."""

    batch = models.ForeignKey(
        VerificationCodeBatch, on_delete=models.CASCADE, related_name="codes"
    )
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    used_at = models.DateTimeField(null=True, blank=True)
    used_for = models.CharField(
        max_length=20, blank=True, help_text="'membership' or 'paper ballot'"
    )

    class Meta:
        ordering = ["pk"]
