"""`make serve`: the production shape on one machine, started by one command, its
processes run and restarted by supervisord (deploy/supervisord.conf.template):

- nginx on PORT (the one address a browser uses): `/ws/` to the ASGI processes,
  `/static/` and `/media/` from disk, everything else to gunicorn;
- gunicorn (WSGI, gthread workers, the psycopg pool) for plain HTTP;
- uvicorn processes (ASGI) for WebSockets (live results), sharing Redis;
- a Celery worker with beat (emails, the phase scheduler).

Needs DATABASE_URL and REDIS_URL. Stops everything on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
SUPERVISOR_TEMPLATE = Path(__file__).with_name("supervisord.conf.template")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listening on {port}")


def nginx_config(run: Path, port: int, wsgi_port: int, asgi_ports: list[int]) -> str:
    from django.conf import settings

    return TEMPLATE.read_text().format(
        user_line=f"user {getpass.getuser()};" if os.geteuid() == 0 else "",
        run=run,
        port=port,
        wsgi_port=wsgi_port,
        asgi_servers="\n".join(
            f"        server 127.0.0.1:{p} max_fails=0;" for p in asgi_ports
        ),
        session_cookie=settings.SESSION_COOKIE_NAME,
        static_root=settings.STATIC_ROOT,
        media_root=settings.MEDIA_ROOT,
    )


# Connections PostgreSQL keeps for itself and for people (psql, backups, migrations):
# the site's pools together stay this far under max_connections.
DB_HEADROOM = 10
ASGI_POOL = 8  # a WebSocket process reads little: snapshots and live payloads
WORKER_POOL = 4  # the Celery worker: its processes and beat


def pool_sizes(web_workers: int, web_threads: int, socket_procs: int) -> dict:
    """Each process's psycopg pool (its most connections at once), and their total.
    A gunicorn worker needs one per thread (a thread holds one while it answers); a
    request beyond a pool's size waits for a connection (up to 10 s) instead of
    opening one, so the total never passes what PostgreSQL allows."""
    sizes = {"web": web_threads, "asgi": ASGI_POOL, "worker": WORKER_POOL}
    sizes["total"] = (
        web_workers * sizes["web"] + socket_procs * sizes["asgi"] + sizes["worker"]
    )
    return sizes


def check_connections(total: int) -> str:
    """'' if `total` pooled connections fit PostgreSQL's max_connections (with
    DB_HEADROOM and its reserved ones), else why not, in words."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        allowed = int(cursor.fetchone()[0])
        cursor.execute("SHOW superuser_reserved_connections")
        reserved = int(cursor.fetchone()[0])
    connection.close()
    room = allowed - reserved - DB_HEADROOM
    if total > room:
        return (
            f"The server processes' pools would hold up to {total} connections, but "
            f"PostgreSQL allows {allowed} ({reserved} reserved, {DB_HEADROOM} kept "
            f"free): use fewer --web-workers or --web-threads, or raise "
            f"max_connections."
        )
    return ""


SOCKET_PROGRAM = """
[program:socket-{n}]
command={python} -m uvicorn config.asgi:application --host 127.0.0.1 --port {port} --no-access-log --log-level warning
directory={root}
environment=DB_POOL="1",DB_POOL_MAX="{pool}",PROMETHEUS_MULTIPROC_DIR="{metrics_dir}",CELERY_EAGER="0"
autorestart=true
stopwaitsecs=10
stopasgroup=true
killasgroup=true
stdout_logfile=/dev/fd/1
stdout_logfile_maxbytes=0
redirect_stderr=true
"""


def supervisor_config(
    run: Path, wsgi_port: int, asgi_ports: list[int], args, pools
) -> str:
    metrics_dir = run / "prometheus"
    common = {"python": sys.executable, "root": ROOT, "metrics_dir": metrics_dir}
    sockets = "".join(
        SOCKET_PROGRAM.format(n=i, port=p, pool=pools["asgi"], **common)
        for i, p in enumerate(asgi_ports)
    )
    return SUPERVISOR_TEMPLATE.read_text().format(
        run=run,
        user_line="user=root" if os.geteuid() == 0 else "",
        wsgi_port=wsgi_port,
        web_workers=args.web_workers,
        web_threads=args.web_threads,
        web_pool=pools["web"],
        worker_pool=pools["worker"],
        worker_autostart="false" if args.no_worker else "true",
        socket_programs=sockets,
        **common,
    )


def supervisorctl(run: Path, *command: str) -> str:
    done = subprocess.run(
        ["supervisorctl", "-c", str(run / "supervisord.conf"), *command],
        capture_output=True,
        text=True,
    )
    return done.stdout


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--web-threads", type=int, default=16)
    parser.add_argument("--socket-procs", type=int, default=2)
    parser.add_argument("--no-worker", action="store_true", help="no Celery worker")
    args = parser.parse_args(argv)
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        print("make serve needs DATABASE_URL and REDIS_URL (PostgreSQL and Redis).")
        return 2
    if not shutil.which("supervisord"):
        print("make serve needs supervisord (Debian: apt-get install supervisor).")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DB_POOL", "1")
    import django

    django.setup()
    pools = pool_sizes(args.web_workers, args.web_threads, args.socket_procs)
    refusal = check_connections(pools["total"])
    if refusal:
        print(refusal)
        return 2
    run = ROOT / ".cache" / f"serve-{args.port}"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run / sub).mkdir(parents=True, exist_ok=True)
    # Prometheus's per-process files start empty with every start (config/metrics.py).
    shutil.rmtree(run / "prometheus", ignore_errors=True)
    (run / "prometheus").mkdir()
    wsgi_port = free_port()
    asgi_ports = [free_port() for _ in range(args.socket_procs)]
    (run / "nginx.conf").write_text(nginx_config(run, args.port, wsgi_port, asgi_ports))
    (run / "supervisord.conf").write_text(
        supervisor_config(run, wsgi_port, asgi_ports, args, pools)
    )
    supervisor = subprocess.Popen(
        ["supervisord", "-c", str(run / "supervisord.conf")], cwd=ROOT
    )

    def stop(*_):
        if supervisor.poll() is None:
            supervisor.terminate()  # supervisord stops every program, then itself
            try:
                supervisor.wait(timeout=60)
            except subprocess.TimeoutExpired:
                supervisor.kill()

    stopping = []

    def on_term(*_):
        # Only ask here: the main thread is waiting on supervisord and sees it exit
        # once every program has stopped.
        stopping.append(True)
        if supervisor.poll() is None:
            supervisor.terminate()

    signal.signal(signal.SIGTERM, on_term)
    try:
        # The router starts last: once it answers, every backend is ready.
        for port in (wsgi_port, *asgi_ports):
            wait_port(port, timeout=120)
        supervisorctl(run, "start", "router")
        wait_port(args.port)
        print(
            f"Serving on http://127.0.0.1:{args.port}/ under supervisord (nginx → "
            f"gunicorn, uvicorn × {len(asgi_ports)}"
            f"{'' if args.no_worker else ', Celery worker'}); "
            f"supervisorctl -c {run / 'supervisord.conf'} status",
            flush=True,
        )
        code = supervisor.wait()
        return 0 if stopping else code
    except KeyboardInterrupt:
        return 0
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
