"""Keys are derived with HKDF-SHA256 (cryptography's); what derivation 1 sealed, and
codes stored under its digests, still open and are still found."""

import hashlib
import hmac
import os

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ballots import voting_codes
from ballots.models import VotingCode
from civic import sealing
from forums.models.membership import CODE_LABEL, normalise_code
from tests.ballots.conftest import _no_frozen_cache, vote_world  # noqa: F401

MATERIAL = "a-test-seal-key-of-some-length"


@pytest.fixture(autouse=True)
def _key(settings):
    settings.NB_BALLOT_SEAL_KEY = MATERIAL


def rfc5869(material: bytes, info: bytes) -> bytes:
    """HKDF-SHA256 with no salt and 32 bytes of output, written out from RFC 5869."""
    prk = hmac.new(b"\0" * 32, material, hashlib.sha256).digest()
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()


def derivation_1(label: str) -> bytes:
    return hashlib.sha256(f"{label}:{MATERIAL}".encode()).digest()


def test_a_seal_is_hkdf_keyed_and_says_its_derivation():
    sealed = sealing.seal(b"a ballot", "nb-ballot-seal", b"nb-ballot")
    assert sealed[:7] == b"NBseal\x02"
    nonce, body = sealed[7:19], sealed[19:]
    key = rfc5869(MATERIAL.encode(), b"nb-ballot-seal")
    assert AESGCM(key).decrypt(nonce, body, b"nb-ballot") == b"a ballot"
    with pytest.raises(InvalidTag):
        sealing.unseal(sealed, "nb-ballot-seal", b"another use")


def test_what_derivation_1_sealed_still_opens():
    nonce = os.urandom(12)
    old = nonce + AESGCM(derivation_1("nb-ballot-seal")).encrypt(
        nonce, b"an old ballot", b"nb-ballot"
    )
    assert sealing.unseal(old, "nb-ballot-seal", b"nb-ballot") == b"an old ballot"


@pytest.mark.django_db
def test_a_code_posted_under_derivation_1_still_votes(vote_world):  # noqa: F811
    w = vote_world
    w["open"](verification_methods=["code", "postcode", "approval"])
    batch = voting_codes.generate(
        actor=w["officer"], cycle=w["cycle"], place=w["hood"], count=1
    )
    # The row as derivation 1 stored it: its digest and its sealed copy.
    plain = "ABCDE-FGHJK"
    old_digest = hmac.new(
        derivation_1(CODE_LABEL), normalise_code(plain).encode(), hashlib.sha256
    ).hexdigest()
    nonce = os.urandom(12)
    sealed = nonce + AESGCM(derivation_1(CODE_LABEL)).encrypt(
        nonce, plain.encode(), old_digest.encode()
    )
    VotingCode.objects.filter(batch=batch).update(code=old_digest, sealed_code=sealed)
    row = voting_codes.check(w["cycle"], "abcde fghjk")
    assert row.batch == batch and row.plain == plain
    assert old_digest != VotingCode.digest(plain)
