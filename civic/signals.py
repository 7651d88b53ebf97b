"""Signals other apps listen to (civic imports none of them)."""

from django.dispatch import Signal

# Sent after a decision is published (on commit), with `decision`.
decision_published = Signal()
