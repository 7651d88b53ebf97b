"""Sealing: AES-GCM under a key held outside the database (`BALLOT_SEAL_KEY`, or one
derived from `SECRET_KEY`), for what must wait in the database but never be readable
from it or from its backups: cast ballots before they are mixed into the box
(ballots/ballot_box.py), and ballot receipts before the mail server takes them
(civic/notify.py), and posted codes, found by a keyed digest and kept sealed for
their letters (forums/models/membership.PostedCode). Each use has its own derived key
and associated data."""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings


def _key(label: str) -> bytes:
    material = settings.NB_BALLOT_SEAL_KEY or f"derived:{settings.SECRET_KEY}"
    return hashlib.sha256(f"{label}:{material}".encode()).digest()


def digest(value: str, label: str) -> str:
    """A keyed digest (HMAC-SHA256) of `value`: to find a record by a secret it holds
    without the database holding the secret (posted codes)."""
    return hmac.new(_key(label), value.encode(), hashlib.sha256).hexdigest()


def seal(body: bytes, label: str, associated: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(_key(label)).encrypt(nonce, body, associated)


def unseal(sealed: bytes, label: str, associated: bytes) -> bytes:
    """The sealed body; cryptography's InvalidTag if the key or the data is wrong."""
    sealed = bytes(sealed)
    return AESGCM(_key(label)).decrypt(sealed[:12], sealed[12:], associated)
