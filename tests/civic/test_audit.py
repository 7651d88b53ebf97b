"""The audit log is append-only and its hash chain detects tampering."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from civic.audit import audit_record, verify_chain
from civic.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_chain_verifies_and_detects_a_tampered_row(capsys):
    for i in range(5):
        audit_record(actor=None, action="test.step", summary=f"step {i}", data={"i": i})
    assert verify_chain().ok and verify_chain().checked == 5
    victim = AuditEntry.objects.order_by("id")[2]
    # Bypass the model's guard, as someone with database access would.
    AuditEntry.objects.filter(pk=victim.pk).update(summary="something else")
    report = verify_chain()
    assert not report.ok and report.broken_id == victim.pk
    with pytest.raises(SystemExit):
        call_command("verify_audit_log")
    assert f"entry {victim.pk}" in capsys.readouterr().err


def test_deleted_row_breaks_the_link():
    entries = [audit_record(actor=None, action="a", summary=str(i)) for i in range(3)]
    AuditEntry.objects.filter(
        pk=entries[1].pk
    ).delete()  # queryset delete bypasses the guard
    report = verify_chain()
    assert report.broken_id == entries[2].pk


def test_entries_cannot_be_edited_or_deleted_through_the_model():
    entry = audit_record(actor=None, action="a", summary="x")
    entry.summary = "y"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
