"""The real task queue: a Celery worker on the Redis broker sends the outbox, and
mail queued while no worker runs goes out when one starts again (nothing lost)."""

import os
import subprocess
import sys
import time

import pytest
from django.db import connection

from civic.models import OutgoingEmail
from civic.notify import send
from config.celery import app
from tests.factories import UserFactory
from tests.servers import ROOT

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


class Cycle:
    name = "Old Mill 2026"
    slug = "old-mill-2026"


def start_worker(mail_dir, queue_name):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_EAGER": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--concurrency",
            "1",
            "--pool",
            "solo",
            "-Q",
            queue_name,
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_sent(count, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if OutgoingEmail.objects.filter(sent_at__isnull=False).count() >= count:
            return True
        time.sleep(0.3)
    return False


@pytest.fixture
def real_queue(tmp_path, monkeypatch):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs Redis: set REDIS_URL=redis://... (make test in CI does)")
    queue_name = f"nb-test-{os.getpid()}-{time.time_ns()}"
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue_name
    yield tmp_path, queue_name
    app.conf.task_always_eager = True
    app.conf.task_default_queue = "celery"


def test_a_worker_sends_mail_queued_while_it_was_down(real_queue):
    mail_dir, queue_name = real_queue
    people = [UserFactory(email=f"p{i}@example.org") for i in range(3)]
    # No worker yet: the mail waits in the broker and in the outbox.
    send("cycle_phase", people, {"cycle": Cycle()})
    time.sleep(1)
    assert OutgoingEmail.objects.filter(sent_at__isnull=True).count() == 3
    worker = start_worker(mail_dir, queue_name)
    try:
        assert wait_sent(3), "the worker sent the mail queued before it started"
        # Stopped mid-stream, started again: what was queued meanwhile still goes out.
        worker.terminate()
        worker.wait(timeout=20)
        send("cycle_phase", [UserFactory(email="late@example.org")], {"cycle": Cycle()})
        worker = start_worker(mail_dir, queue_name)
        assert wait_sent(4)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    sent = "".join(p.read_text() for p in mail_dir.iterdir())
    for address in ("p0@", "p1@", "p2@", "late@"):
        assert f"To: {address}example.org" in sent
    assert OutgoingEmail.objects.filter(attempts=1).count() == 4
