"""Appending to and verifying the hash-chained audit log."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from .models import GENESIS_HASH, AuditEntry, Place


def audit_record(
    *,
    actor,
    action: str,
    summary: str,
    target=None,
    place: Place | None = None,
    data: dict | None = None,
) -> AuditEntry:
    """Append one entry whose hash covers its content and its predecessor's hash."""
    for _attempt in range(20):
        try:
            with transaction.atomic():
                last = (
                    AuditEntry.objects.order_by("-id")
                    .values_list("hash", flat=True)
                    .first()
                )
                entry = AuditEntry(
                    actor=actor if getattr(actor, "pk", None) else None,
                    actor_label=getattr(actor, "email", "") or "system",
                    action=action,
                    place=place,
                    object_type=target._meta.label_lower if target is not None else "",
                    object_id=str(target.pk) if target is not None else "",
                    summary=summary[:500],
                    data=data or {},
                    prev_hash=last or GENESIS_HASH,
                )
                entry.hash = entry.compute_hash()
                entry.save()
                return entry
        except IntegrityError:
            continue  # another entry took our predecessor; chain onto it instead
    raise RuntimeError("Could not append to the audit log under contention.")


@dataclass
class ChainReport:
    checked: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify_chain() -> ChainReport:
    """Walk the log oldest first; report the first entry whose hash or link is wrong."""
    expected_prev = GENESIS_HASH
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != expected_prev:
            return ChainReport(
                checked, entry.pk, "its link to the previous entry is wrong"
            )
        if entry.compute_hash() != entry.hash:
            return ChainReport(checked, entry.pk, "its content does not match its hash")
        expected_prev = entry.hash
        checked += 1
    return ChainReport(checked)
