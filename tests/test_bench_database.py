"""The benchmarks make their own database on the PostgreSQL server DATABASE_URL names,
even when DATABASE_URL names that database itself, as bench/cast.py's usage says."""

import os
import subprocess
import uuid

import pytest

from bench.cast import bench_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def server():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)")
    return url.rsplit("/", 1)[0]


def exists(server, name) -> bool:
    out = subprocess.run(
        [
            "psql",
            f"{server}/postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip() == "1"


def test_the_bench_database_is_created_when_missing(server, monkeypatch):
    name = f"bench_probe_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("DATABASE_URL", f"{server}/{name}")
    try:
        assert not exists(server, name)
        db_url, _redis = bench_database(name)
        assert db_url == f"{server}/{name}" and exists(server, name)
        assert bench_database(name)[0] == db_url  # and reused the next time
    finally:
        subprocess.run(
            ["psql", f"{server}/postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}"'],
            capture_output=True,
        )
