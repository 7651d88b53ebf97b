"""The one base for every refusal the domain makes: an action its rules do not allow,
or input it cannot take. `message` says why, in words for the person acting; views
show it and store nothing."""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)
