"""Backing up the whole site and restoring it on another machine.

A backup is a directory holding `database.dump` (pg_dump's custom format; on SQLite,
`database.sqlite3`), `media.tar.gz` (uploaded pictures and documents) and
`manifest.json` (what is in it, each file's SHA-256, and a fingerprint of the seal key).

The seal key (BALLOT_SEAL_KEY) is never in a backup: ballots waiting to be mixed,
posted codes and unsent receipts are sealed under it, and a backup that held the key
would let anyone with the backup read them. Keep the key where the site's other secrets
are (a secrets manager, the service's environment), separately from the backups.
Restoring needs the same key: the fingerprint says whether it is (a wrong key is
refused before anything is written). A lost key means the ballots still waiting cannot
be opened and posted codes cannot be found: the vote's ballots already mixed into the
box, the results and everything else are unaffected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection

from . import sealing
from .errors import DomainError

FORMAT = "neighbourhood-budgets/site@1"


def key_fingerprint(version: int = sealing.CURRENT) -> str:
    return sealing.digest("backup-fingerprint", "nb-seal-key-fingerprint", version)[:16]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env_and_args(db: dict) -> tuple[dict, list[str]]:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = []
    if db.get("HOST"):
        args += ["-h", db["HOST"]]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    return env, args


def backup(directory: Path) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise DomainError(f"{directory} is not empty: back up into a new directory.")
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args(db)
        dump = directory / "database.dump"
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={dump}",
                *args,
                db["NAME"],
            ],
            env=env,
            check=True,
        )
    elif connection.vendor == "sqlite":
        dump = directory / "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(dump)
        # Read through this connection (its view, inside any transaction it holds):
        # sqlite's online backup waits forever on a shared-cache database it has
        # open in a transaction, as the test run's in-memory one is.
        with target:
            target.executescript("\n".join(connection.connection.iterdump()))
        target.close()
    else:
        raise DomainError(
            f"Backups support PostgreSQL and SQLite, not {connection.vendor}."
        )
    media = directory / "media.tar.gz"
    with tarfile.open(media, "w:gz") as tar:
        root = Path(settings.MEDIA_ROOT)
        if root.is_dir():
            tar.add(root, arcname="media")
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "files": {p.name: _sha256(p) for p in (dump, media)},
        "seal_key": {
            "included": False,
            "fingerprint": key_fingerprint(),
            "note": "Restore with the same BALLOT_SEAL_KEY; it is not in this backup.",
        },
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def _target_has_tables() -> bool:
    return "django_migrations" in connection.introspection.table_names()


def restore(directory: Path, replace: bool = False) -> dict:
    """Check everything first (the manifest, each file's checksum, the seal key, an
    empty target), then restore the database in one transaction and the media."""
    manifest_path = directory / "manifest.json"
    if not manifest_path.exists():
        raise DomainError(f"{directory} has no manifest.json: it is not a site backup.")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise DomainError(f"Unknown backup format {manifest.get('format')!r}.")
    for name, expected in manifest["files"].items():
        if _sha256(directory / name) != expected:
            raise DomainError(
                f"{name} does not match its checksum: the backup is damaged."
            )
    if manifest["seal_key"]["fingerprint"] not in (
        key_fingerprint(),
        key_fingerprint(1),
    ):
        raise DomainError(
            "This site's BALLOT_SEAL_KEY is not the key the backup's sealed ballots, "
            "codes and receipts were sealed with: set the original key and run again."
        )
    if manifest["database"] != connection.vendor:
        raise DomainError(
            f"The backup is of a {manifest['database']} database; this site uses "
            f"{connection.vendor}."
        )
    if _target_has_tables() and not replace:
        raise DomainError(
            "The target database already holds a site: restore into an empty database, "
            "or pass --replace to overwrite it."
        )
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        connection.close()
        env, args = _pg_env_and_args(db)
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *(["--clean", "--if-exists"] if replace else []),
                f"--dbname={db['NAME']}",
                *args,
                str(directory / "database.dump"),
            ],
            env=env,
            check=True,
        )
    else:
        connection.close()
        shutil.copyfile(directory / "database.sqlite3", db["NAME"])
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(directory / "media.tar.gz") as tar:
        staging = media_root.parent / f".restore-{os.getpid()}"
        tar.extractall(staging, filter="data")
        if (staging / "media").is_dir():
            shutil.copytree(staging / "media", media_root, dirs_exist_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
    return manifest
