"""Live results across server processes over real Redis, and through a Redis outage.

Two ASGI servers (uvicorn) share PostgreSQL and Redis: a ballot cast over HTTP through one
updates a WebSocket connected to the other. Then Redis is stopped: casting still works,
and when Redis returns the client is resynced with a fresh snapshot.
"""

import asyncio
import json
import os
import re
import shutil
import subprocess
import time

import httpx
import pytest
import websockets
from django.test import Client

from tests.servers import free_port, start_server, wait_port

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def cast_over_http(port, sessionid, cycle, section, codes):
    with httpx.Client(
        base_url=f"http://127.0.0.1:{port}",
        cookies={"sessionid": sessionid},
        timeout=20,
    ) as http:
        page = http.get(f"/cycles/{cycle.slug}/vote/")
        assert page.status_code == 200, page.text[:500]
        token = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text
        ).group(1)
        response = http.post(
            f"/cycles/{cycle.slug}/vote/",
            data={"csrfmiddlewaretoken": token, f"s{section.pk}": codes},
            headers={"Referer": f"http://127.0.0.1:{port}/cycles/{cycle.slug}/vote/"},
        )
        return response


async def next_message(ws, want, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        msg = json.loads(
            await asyncio.wait_for(ws.recv(), timeout=deadline - time.time())
        )
        if want(msg):
            return msg
    raise AssertionError("no matching message")


def session_for(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.fixture
def servers(request):
    procs = []

    def start(redis_url, prefix):
        a, b = free_port(), free_port()
        procs.extend(
            [start_server(a, redis_url, prefix), start_server(b, redis_url, prefix)]
        )
        return a, b

    yield start
    for p in procs:
        p.terminate()
        p.wait(10)


def test_ballot_through_one_process_updates_a_socket_on_another(vote_world, servers):
    w = vote_world
    w["open"]()
    a, b = servers(os.environ["REDIS_URL"], f"nbtest{os.getpid()}")
    sessionid = session_for(w["voters"][0])

    async def scenario():
        async with websockets.connect(
            f"ws://127.0.0.1:{b}/ws/cycles/{w['cycle'].pk}/results/",
            origin=f"http://127.0.0.1:{b}",
        ) as ws:
            snap = await next_message(ws, lambda m: m["type"] == "snapshot")
            assert snap["data"]["turnout"]["cast"] == 0
            response = await asyncio.to_thread(
                cast_over_http, a, sessionid, w["cycle"], w["section"], w["codes"][:2]
            )
            assert response.status_code == 200 and "receipt-code" in response.text
            update = await next_message(
                ws,
                lambda m: m["type"] == "update" and m["data"]["turnout"]["cast"] == 1,
            )
            assert update["seq"] > snap["seq"]

    asyncio.run(scenario())


@pytest.mark.skipif(
    not shutil.which("redis-server"), reason="needs the redis-server binary"
)
def test_redis_outage_keeps_casting_and_resyncs_clients(vote_world, servers, tmp_path):
    w = vote_world
    w["open"]()
    port = free_port()

    def start_redis():
        proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp_path),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_port(port)
        return proc

    redis_proc = start_redis()
    a, b = servers(f"redis://127.0.0.1:{port}/0", "nboutage")
    url = f"ws://127.0.0.1:{b}/ws/cycles/{w['cycle'].pk}/results/"
    sessionid = session_for(w["voters"][1])

    async def scenario():
        nonlocal redis_proc
        ws = await websockets.connect(url, origin=f"http://127.0.0.1:{b}")
        await next_message(ws, lambda m: m["type"] == "snapshot")
        redis_proc.terminate()
        redis_proc.wait(10)
        response = await asyncio.to_thread(
            cast_over_http, a, sessionid, w["cycle"], w["section"], w["codes"][:1]
        )
        assert (
            response.status_code == 200 and "receipt-code" in response.text
        )  # casting kept working
        redis_proc = start_redis()
        # The browser script reconnects with back-off; so does this client.
        deadline = time.time() + 40
        while time.time() < deadline:
            try:
                msg = await next_message(
                    ws, lambda m: m["type"] in ("snapshot", "update"), timeout=3
                )
                if msg["data"]["turnout"]["cast"] == 1:
                    break
            except (TimeoutError, websockets.ConnectionClosed, AssertionError, OSError):
                try:
                    await ws.close()
                    ws = await websockets.connect(url, origin=f"http://127.0.0.1:{b}")
                except OSError:
                    await asyncio.sleep(1)
        else:
            raise AssertionError("the client was never resynced after Redis returned")
        await ws.close()

    try:
        asyncio.run(scenario())
    finally:
        redis_proc.terminate()
    from tests.ballots import box

    assert box.count(w["cycle"]) == 1
