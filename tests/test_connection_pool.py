"""Connections: every server process draws from a psycopg pool sized so that all of
them together stay under PostgreSQL's max_connections (deploy/serve.py), and a burst of
requests larger than a process's pool waits for a connection instead of failing."""

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.db import connection

from deploy.serve import DB_HEADROOM, check_connections, pool_sizes
from tests.factories import make_place
from tests.servers import free_port, start_server

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_pools_add_up_and_too_many_are_refused():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI has it)")
    sizes = pool_sizes(web_workers=2, web_threads=16, socket_procs=2)
    assert sizes == {"web": 16, "asgi": 8, "worker": 4, "total": 2 * 16 + 2 * 8 + 4}
    assert check_connections(sizes["total"]) == ""
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        allowed = int(cursor.fetchone()[0])
    too_many = pool_sizes(web_workers=8, web_threads=16, socket_procs=2)["total"]
    assert too_many > allowed - DB_HEADROOM
    assert "use fewer --web-workers or --web-threads" in check_connections(too_many)


def _app_connections(app: str) -> int:
    """The server's connections to PostgreSQL (it names itself `app`)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [app]
        )
        return cursor.fetchone()[0]


def test_a_burst_larger_than_the_pool_queues_instead_of_failing():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI has it)")
    make_place("Burstshire")
    db = connection.settings_dict
    app = "nb-burst-test"
    port = free_port()
    server = start_server(
        port,
        "",
        "nbpool",
        {
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/"
            f"{db['NAME']}?application_name={app}",
            "DB_POOL": "1",
            "DB_POOL_MIN": "1",
            "DB_POOL_MAX": "3",
        },
    )
    seen, done = [0], threading.Event()

    def watch():
        while not done.is_set():
            seen[0] = max(seen[0], _app_connections(app))
            done.wait(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with httpx.Client(timeout=60) as client, ThreadPoolExecutor(60) as pool:
            statuses = list(
                pool.map(
                    lambda _: (
                        client.get(
                            f"http://127.0.0.1:{port}/places/burstshire/"
                        ).status_code
                    ),
                    range(60),
                )
            )
    finally:
        done.set()
        watcher.join()
        server.terminate()
        server.wait(10)
    assert statuses == [200] * 60
    assert 1 <= seen[0] <= 3
