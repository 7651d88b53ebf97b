"""A real database restart: a private PostgreSQL server is stopped under a running site;
requests fail cleanly with the 503 page, and the site recovers when it comes back."""

import glob
import os
import shutil
import subprocess
import sys
import time

import httpx
import pytest

from tests.servers import ROOT, free_port, wait_port

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


def as_postgres(*cmd):
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *cmd],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(
    not BIN or os.geteuid() != 0 or not shutil.which("runuser"),
    reason="needs PostgreSQL's binaries and root (to run a private server as postgres)",
)
def test_requests_fail_cleanly_and_recover():
    import tempfile
    from pathlib import Path

    bin_dir = BIN[-1]
    data = Path(tempfile.mkdtemp(prefix="nb-pg-", dir="/tmp"))
    shutil.chown(data, "postgres", "postgres")
    cluster = data / "cluster"
    port = free_port()
    assert (
        as_postgres(
            f"{bin_dir}/initdb", "-D", str(cluster), "-A", "trust", "-U", "postgres"
        ).returncode
        == 0
    )

    def pg(action):
        opts = f"-p {port} -k {data} -c listen_addresses=127.0.0.1"
        return as_postgres(
            f"{bin_dir}/pg_ctl",
            "-D",
            str(cluster),
            "-o",
            opts,
            "-l",
            str(data / "log"),
            "-w",
            action,
        )

    assert pg("start").returncode == 0
    site_port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/postgres",
        "REDIS_URL": "",
        "DEBUG": "0",
        "NB_TESTING": "1",
    }
    server = None
    try:
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert migrate.returncode == 0, migrate.stderr[-2000:]
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "config.asgi:application",
                "--port",
                str(site_port),
                "--log-level",
                "error",
            ],
            cwd=ROOT,
            env=env,
        )
        wait_port(site_port)
        url = f"http://127.0.0.1:{site_port}/places/"
        assert httpx.get(url, timeout=20).status_code == 200
        assert pg("stop").returncode == 0
        down = httpx.get(url, timeout=30)
        assert (
            down.status_code == 503
            and "Back in a moment" in down.text
            and down.headers["Retry-After"] == "30"
        )
        assert pg("start").returncode == 0
        deadline = time.time() + 30
        status = None
        while time.time() < deadline:
            status = httpx.get(url, timeout=20).status_code
            if status == 200:
                break
            time.sleep(1)
        assert status == 200
    finally:
        if server:
            server.terminate()
            server.wait(10)
        pg("stop")
        shutil.rmtree(data, ignore_errors=True)
