"""Sealing: AES-GCM under a key held outside the database (`BALLOT_SEAL_KEY`, or one
derived from `SECRET_KEY`), for what must wait in the database but never be readable
from it or from its backups: cast ballots before they are mixed into the box
(ballots/ballot_box.py), and ballot receipts before the mail server takes them
(civic/notify.py), and posted codes, found by a keyed digest and kept sealed for
their letters (forums/models/membership.PostedCode). Each use has its own key, derived
from the key material with HKDF-SHA256 (the use's label as HKDF's info), and its own
associated data.

Derivation 1, before HKDF, was sha256("label:material"). What it sealed still opens: a
sealed value now starts with VERSIONED and one byte naming its derivation, and one
without that prefix is opened with derivation 1; a record found by its digest is
looked up by the digests of both (`digests`), so codes posted before still work."""

from __future__ import annotations

import functools
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

VERSIONED = b"NBseal"
CURRENT = 2


def _material() -> str:
    return settings.NB_BALLOT_SEAL_KEY or f"derived:{settings.SECRET_KEY}"


def _key(label: str, version: int = CURRENT) -> bytes:
    return _derived(_material(), label, version)


@functools.lru_cache(maxsize=32)
def _derived(material: str, label: str, version: int) -> bytes:
    """Each use's key, derived once per process (every cast seals a ballot)."""
    if version == 1:
        return hashlib.sha256(f"{label}:{material}".encode()).digest()
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label.encode())
    return hkdf.derive(material.encode())


def digest(value: str, label: str, version: int = CURRENT) -> str:
    """A keyed digest (HMAC-SHA256) of `value`: to find a record by a secret it holds
    without the database holding the secret (posted codes)."""
    return hmac.new(_key(label, version), value.encode(), hashlib.sha256).hexdigest()


def digests(value: str, label: str) -> list[str]:
    """The digests `value` may be stored under: today's, then derivation 1's."""
    return [digest(value, label), digest(value, label, version=1)]


def seal(body: bytes, label: str, associated: bytes) -> bytes:
    nonce = os.urandom(12)
    sealed = AESGCM(_key(label)).encrypt(nonce, body, associated)
    return VERSIONED + bytes([CURRENT]) + nonce + sealed


def unseal(sealed: bytes, label: str, associated: bytes) -> bytes:
    """The sealed body; cryptography's InvalidTag if the key or the data is wrong."""
    sealed = bytes(sealed)
    if sealed.startswith(VERSIONED):
        version, rest = sealed[len(VERSIONED)], sealed[len(VERSIONED) + 1 :]
        try:
            return AESGCM(_key(label, version)).decrypt(
                rest[:12], rest[12:], associated
            )
        except InvalidTag:
            pass  # a derivation-1 value whose random nonce began with the prefix
    return AESGCM(_key(label, 1)).decrypt(sealed[:12], sealed[12:], associated)
