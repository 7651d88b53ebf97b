"""Count day with things failing, on the production shape: `deploy.serve` (nginx in
front of gunicorn and uvicorn) with a Celery worker and beat started apart, so that it
can be stopped, a Redis of the test's own that keeps nothing on disk, and a mail server
(aiosmtpd). Mid-vote the mail server is away, then the worker is stopped, then Redis.
Every ballot is taken and in the box, and every receipt email arrives, once, after the
services return: the database holds what must not be lost (the outbox; receipts
sealed), so nothing depends on what Redis or a worker held."""

import email
import os
import re
import shutil
import subprocess
import sys
import time

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from ballots.models import VoterRecord
from civic.models import OutgoingEmail, RoleKind
from tests.ballots import box
from tests.ballots.test_live_cluster import cast_over_http, session_for
from tests.factories import UserFactory, grant
from tests.servers import ROOT, free_port, wait_port

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


class Inbox:
    """What the mail server received: (recipient, text body) per message."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd)
        message = email.message_from_bytes(envelope.content)
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                text = part.get_payload(decode=True).decode()
                break
        self.messages.extend((to, text) for to in envelope.rcpt_tos)
        return "250 OK"


class Service:
    """A process the test starts and stops."""

    def __init__(self, command, env=None, port=None):
        self.command, self.env, self.port, self.proc = command, env, port, None

    def start(self):
        self.proc = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if self.port:
            wait_port(self.port, timeout=150)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture
def platform(tmp_path):
    if not shutil.which("nginx") or not shutil.which("redis-server"):
        pytest.skip("needs nginx and redis-server (.ci/run installs nginx)")
    redis_port, smtp_port, port = free_port(), free_port(), free_port()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "MAIL_RETRY_SECONDS": "2",
        "OUTBOX_EVERY_SECONDS": "2",
        "CELERY_EAGER": "0",
        "NB_TESTING": "1",
        "DEBUG": "0",
    }
    redis = Service(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1"]
        + ["--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        port=redis_port,
    )
    worker = Service(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--beat"]
        + ["--pool", "solo", "--loglevel", "WARNING"]
        + ["--schedule", str(tmp_path / "beat-schedule")],
        env,
    )
    inbox = Inbox()
    mail = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    web = Service(
        [sys.executable, "-m", "deploy.serve", "--port", str(port)]
        + ["--socket-procs", "1", "--no-worker"],
        env,
        port,
    )
    redis.start()
    web.start()
    worker.start()
    try:
        yield {
            "port": port,
            "redis": redis,
            "worker": worker,
            "mail": mail,
            "inbox": inbox,
        }
    finally:
        for service in (web, worker, redis):
            service.stop()
        if getattr(mail, "server", None) is not None:
            mail.stop()


def test_no_ballot_and_no_email_is_lost_while_services_are_away(vote_world, platform):
    w = vote_world
    w["open"]()
    voters = []
    for _ in range(6):
        voter = UserFactory(is_demo=True, notify_receipt=True)
        grant(voter, w["hood"], RoleKind.RESIDENT)
        voters.append(voter)
    receipts = {}

    def vote(voter):
        response = cast_over_http(
            platform["port"],
            session_for(voter),
            w["cycle"],
            w["section"],
            w["codes"][:1],
        )
        assert response.status_code == 200, response.text[:300]
        receipts[voter.email] = re.search(
            r'class="receipt-code"[^>]*>\s*([^<\s]+)', response.text
        ).group(1)

    # The mail server is away (never started yet).
    vote(voters[0])
    vote(voters[1])
    # The worker stops too.
    platform["worker"].stop()
    vote(voters[2])
    vote(voters[3])
    # And Redis: the broker, the cache, the sessions' cache and the channel layer.
    platform["redis"].stop()
    vote(voters[4])
    vote(voters[5])
    assert VoterRecord.objects.filter(cycle=w["cycle"]).count() == 6
    assert box.count(w["cycle"]) == 6
    assert not OutgoingEmail.objects.filter(sent_at__isnull=False).exists()

    # Everything returns; Redis comes back empty (it kept nothing).
    platform["redis"].start()
    platform["mail"].start()
    platform["worker"].start()
    deadline = time.time() + 120
    while time.time() < deadline and len(platform["inbox"].messages) < 6:
        time.sleep(0.5)
    time.sleep(5)  # a late duplicate would have arrived by now
    got = platform["inbox"].messages
    assert sorted(to for to, _text in got) == sorted(v.email for v in voters)
    for to, text in got:
        assert receipts[to] in text
    assert OutgoingEmail.objects.filter(sent_at__isnull=True).count() == 0
    assert OutgoingEmail.objects.exclude(sealed=None).count() == 0
    assert box.count(w["cycle"]) == 6
