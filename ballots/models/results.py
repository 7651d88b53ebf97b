"""What a count leaves: the tally (results, published or not) and the ballot exports (.pb and .csv) kept with a digest of what they were made from."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from .cycles import Section


class Tally(models.Model):
    """A section's counted result, computed with the frozen rules and stored."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="tallies"
    )
    rule = models.CharField(max_length=30)
    utility = models.CharField(max_length=30)
    result = models.JSONField()
    ballots_counted = models.PositiveIntegerField()
    computed_at = models.DateTimeField(default=timezone.now)
    published = models.BooleanField(default=False)
    export_sha256 = models.CharField(max_length=64, blank=True)
    # The recount of this tally's own published export, made once in the background
    # when it is published (the ballots behind it never change): what it selected and
    # spent, whether the file matched export_sha256, under which rules, and when.
    recount = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-computed_at"]
        verbose_name_plural = "tallies"

    def __str__(self):
        return f"Tally of {self.section} ({self.rule})"


class BallotExport(models.Model):
    """A budget's anonymised ballots as published files (.pb and .csv), built in the
    background and kept (ballots/exports.py): a download never reads the box. `key`
    says what the files were made from; when it no longer matches they are rebuilt."""

    section = models.OneToOneField(
        Section, on_delete=models.CASCADE, related_name="export"
    )
    key = models.CharField(max_length=64)
    pb = models.TextField()
    csv = models.TextField()
    sha256 = models.CharField(max_length=64)
    built_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Export of {self.section}"
