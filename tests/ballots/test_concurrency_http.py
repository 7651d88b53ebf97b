"""Concurrency over real HTTP on PostgreSQL, against the deployed server shape (gunicorn,
2 workers x 16 threads, connection pool): 200 simultaneous casts by one voter store
exactly one ballot; 2,000 voters casting 200 at a time are every one stored once and counted."""

import asyncio
import os
import signal
import subprocess
import sys

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from ballots import tallying
from ballots.models import Phase, VoterRecord
from ballots.services import cycle_set_phase
from civic.models import Role, RoleKind, User
from tests.ballots import box
from tests.servers import ROOT, free_port, wait_port

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]
TOKEN = "a" * 32


def gunicorn(port):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DB_POOL": "1",
        "DB_POOL_MAX": "16",
        "DEBUG": "0",
        "NB_TESTING": "1",
        "REDIS_URL": "",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--threads",
            "16",
            "--worker-class",
            "gthread",
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
    )
    wait_port(port)
    return proc


def sessions_for(users):
    keys = []
    for u in users:
        s = SessionStore()
        s["_auth_user_id"] = str(u.pk)
        s["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        s["_auth_user_hash"] = u.get_session_auth_hash()
        s.create()
        keys.append(s.session_key)
    return keys


async def post_all(port, slug, body, sessions, concurrency):
    import httpx

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", timeout=120, limits=limits
    ) as http:

        async def one(session):
            for _attempt in range(5):
                try:
                    r = await http.post(
                        f"/cycles/{slug}/ballot.json",
                        content=body,
                        headers={
                            "Cookie": f"sessionid={session}; csrftoken={TOKEN}",
                            "X-CSRFToken": TOKEN,
                            "Content-Type": "application/json",
                            "Referer": f"http://127.0.0.1:{port}/",
                        },
                    )
                    return r.status_code
                except httpx.TransportError:
                    await asyncio.sleep(0.2)
            return None

        # In waves of `concurrency`: a queue of thousands of requests makes httpcore's
        # pool spin (it re-scans every waiting request on each change).
        statuses = []
        for start in range(0, len(sessions), concurrency):
            wave = sessions[start : start + concurrency]
            statuses += await asyncio.gather(*(one(s) for s in wave))
        return statuses


def test_one_voter_200_times_and_2000_voters_at_once(vote_world):
    import json

    w = vote_world
    w["open"](allow_replacement=False)
    body = json.dumps({"choices": {str(w["section"].pk): w["codes"][:2]}}).encode()
    users = User.objects.bulk_create(
        User(email=f"c{i}@load.example", password="!", year_of_birth=1980)
        for i in range(2000)
    )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    Role.objects.bulk_create(
        Role(
            user=u, place=w["hood"], kind=RoleKind.RESIDENT, verification_method="code"
        )
        for u in users
    )
    port = free_port()
    server = gunicorn(port)
    try:
        same = sessions_for([w["voters"][0]]) * 200
        statuses = asyncio.run(post_all(port, w["cycle"].slug, body, same, 200))
        assert statuses.count(201) == 1 and statuses.count(409) == 199, sorted(
            set(statuses)
        )
        many = sessions_for(users)
        statuses = asyncio.run(post_all(port, w["cycle"].slug, body, many, 200))
        assert statuses.count(201) == 2000, sorted(set(statuses))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    assert VoterRecord.objects.filter(cycle=w["cycle"]).count() == 2001
    assert box.count(w["cycle"]) == 2001
    # Closing mixes in the last ballots still waiting for a full batch.
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    support = tallying.count(w["section"], w["cycle"].rules).support
    assert support[w["codes"][0]] == 2001 and support[w["codes"][1]] == 2001
