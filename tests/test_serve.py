"""`make serve`, the production shape under supervisord: one address (nginx) in front
of gunicorn for HTTP, uvicorn for WebSockets and a Celery worker, all sharing PostgreSQL
and Redis; a process that dies is restarted."""

import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import httpx
import pytest
import websockets
from django.db import connection

from ballots.models import Cycle
from civic.models import OutgoingEmail
from civic.notify import send
from tests.factories import CycleFactory, UserFactory, make_place
from tests.servers import ROOT, free_port, wait_port

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def served(tmp_path_factory, django_db_setup):
    """One `make serve` for the module's tests (each has its own data)."""
    tmp_path = tmp_path_factory.mktemp("serve")
    if not shutil.which("nginx"):
        pytest.skip("needs nginx (.ci/run installs Debian's)")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CHANNELS_PREFIX": "nbserve",
        "CACHE_PREFIX": "nbserve",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "NB_TESTING": "1",
        "DEBUG": "0",
        "PAGE_CACHE_SECONDS": "15",  # production's default (DJANGO_ENV=production)
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "deploy.serve",
            "--port",
            str(port),
            "--socket-procs",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_port(port, timeout=150)
        yield {
            "base": f"http://127.0.0.1:{port}",
            "port": port,
            "mail": tmp_path / "mail",
            "conf": ROOT / ".cache" / f"serve-{port}" / "supervisord.conf",
        }
    finally:
        proc.terminate()
        proc.wait(timeout=40)


def test_one_address_serves_pages_static_files_sockets_and_background_work(served):
    place = make_place("Lane End", "neighbourhood")
    cycle = CycleFactory(place=place)
    base = served["base"]

    page = httpx.get(f"{base}/cycles/{cycle.slug}/", timeout=20)
    assert page.status_code == 200
    assert page.headers["x-router"] == "nginx"
    assert cycle.name in page.text

    static = httpx.get(f"{base}/static/vendor/leaflet/leaflet.js", timeout=20)
    assert static.status_code == 200
    assert static.text.startswith("/* @preserve")

    async def snapshot():
        url = f"ws://127.0.0.1:{served['port']}/ws/cycles/{cycle.pk}/results/"
        async with websockets.connect(url, origin=base) as ws:
            return json.loads(await asyncio.wait_for(ws.recv(), 20))

    assert asyncio.run(snapshot())["type"] == "snapshot"

    # An email queued here is sent by the worker `make serve` started.
    from config.celery import app

    app.conf.task_always_eager = False
    try:
        send(
            "cycle_phase",
            [UserFactory(email="w@example.org")],
            {"cycle": Cycle.objects.get()},
        )
    finally:
        app.conf.task_always_eager = True
    deadline = time.time() + 60
    while (
        time.time() < deadline
        and not OutgoingEmail.objects.filter(sent_at__isnull=False).exists()
    ):
        time.sleep(0.5)
    assert OutgoingEmail.objects.get().sent_at is not None
    assert "To: w@example.org" in "".join(
        p.read_text() for p in served["mail"].iterdir()
    )


def test_nginx_keeps_a_shared_anonymous_page_and_nothing_else(served):
    """A page the site marks as shared (civic/page_cache.py) is served by nginx itself
    the second time; a request with a session, and a page with a form, never are."""
    place = make_place("Mill Row", "neighbourhood")
    url = f"{served['base']}/places/{place.slug}/"

    first, second = httpx.get(url, timeout=20), httpx.get(url, timeout=20)
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.headers["x-cache-status"] == "MISS"
    assert second.headers["x-cache-status"] == "HIT"
    assert second.text == first.text
    assert "x-accel-expires" not in second.headers  # nginx's own, never sent on
    assert second.headers["x-router"] == "nginx"

    with_session = httpx.get(url, cookies={"sessionid": "someone"}, timeout=20)
    assert with_session.headers["x-cache-status"] == "BYPASS"

    login = f"{served['base']}/accounts/login/"
    statuses = [httpx.get(login, timeout=20).headers["x-cache-status"] for _ in "ab"]
    assert statuses == ["MISS", "MISS"]


@pytest.mark.live_broadcasts
def test_a_live_broadcast_is_built_by_the_worker_and_reaches_a_socket(served):
    """With a broker, a ballot's broadcast is queued (ballots.live.broadcast_results),
    built by the worker `make serve` started, and published to the socket processes."""
    from ballots import live
    from config.celery import app

    place = make_place("Lane End", "neighbourhood")
    cycle = CycleFactory(place=place)
    url = f"ws://127.0.0.1:{served['port']}/ws/cycles/{cycle.pk}/results/"

    async def watch():
        async with websockets.connect(url, origin=served["base"]) as ws:
            first = json.loads(await asyncio.wait_for(ws.recv(), 20))
            app.conf.task_always_eager = False
            try:
                live.ballot_cast(cycle.pk)  # as after a ballot commits
            finally:
                app.conf.task_always_eager = True
            return first, json.loads(await asyncio.wait_for(ws.recv(), 30))

    first, update = asyncio.run(watch())
    assert first["type"] == "snapshot"
    assert update["type"] == "update" and update["seq"] > first["seq"]
    assert update["data"]["turnout"] == {"cast": 0, "electorate": 0, "percent": None}


def supervisorctl(served, *command):
    return subprocess.run(
        ["supervisorctl", "-c", str(served["conf"]), *command],
        capture_output=True,
        text=True,
    ).stdout


def test_supervisord_runs_every_process_and_restarts_one_that_dies(served):
    deadline = time.time() + 20
    status = supervisorctl(served, "status")
    while "STARTING" in status and time.time() < deadline:
        time.sleep(0.5)
        status = supervisorctl(served, "status")
    for program in ("web", "socket-0", "worker", "router"):
        assert re.search(rf"^{program}\s+RUNNING", status, re.M), status
    base = served["base"]
    assert httpx.get(f"{base}/health/live", timeout=20).json() == {"live": "OK"}
    ready = httpx.get(f"{base}/health/ready", timeout=20)
    assert ready.status_code == 200
    assert (
        all(state == "OK" for state in ready.json().values()) and len(ready.json()) == 4
    )
    # /metrics through nginx: for the machine itself, not for the world behind it.
    metrics = httpx.get(f"{base}/metrics", timeout=20)
    assert metrics.status_code == 200 and "nb_ballots_cast_total" in metrics.text
    outside = httpx.get(
        f"{base}/metrics", headers={"X-Forwarded-For": "203.0.113.9"}, timeout=20
    )
    assert outside.status_code == 200  # nginx overwrites the header with its caller

    old = int(supervisorctl(served, "pid", "web").strip())
    os.kill(old, signal.SIGKILL)
    deadline = time.time() + 60
    new = old
    while time.time() < deadline:
        reply = supervisorctl(served, "pid", "web").strip()
        if reply.isdigit() and int(reply) not in (0, old):
            try:
                if httpx.get(f"{base}/health/live", timeout=5).status_code == 200:
                    new = int(reply)
                    break
            except httpx.HTTPError:
                pass
        time.sleep(0.5)
    assert new != old, "supervisord did not restart the killed web server"
