"""What a council's IT runs the platform by (#33): health for the load balancer,
metrics for Prometheus, logs without personal data, error reports scrubbed the same
way."""

import gzip
import io
import json
import logging
import logging.config
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ballots.models import SealedBallot
from ballots.services import ballot_cast
from config import logging as nb_logging
from tests.ballots.conftest import _no_frozen_cache, vote_world  # noqa: F401 — shared fixtures
from tests.ballots.test_voting_codes import cast as code_cast
from tests.ballots.test_voting_codes import issue, open_ballot
from tests.servers import free_port, wait_port

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.django_db


def test_live_answers_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live")
    assert response.status_code == 200 and response.json() == {"live": "OK"}
    assert "no-cache" in response["Cache-Control"]


def test_ready_checks_database_cache_and_seal_key(client, vote_world, settings):  # noqa: F811
    w = vote_world
    w["open"]()
    settings.REDIS_URL = ""  # Redis has its own test below
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {
        "Database(alias='default')": "OK",
        "Cache(alias='default')": "OK",
        "SealKey()": "OK",
    }
    ballot_cast(
        user=w["voters"][0],
        cycle=w["cycle"],
        choices={str(w["section"].pk): w["codes"][:1]},
    )
    assert SealedBallot.objects.count() == 1
    # The key the ballot waiting was sealed with is gone: the site must not take more.
    settings.NB_BALLOT_SEAL_KEY = "another key"
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert "does not open the ballots waiting" in response.json()["SealKey()"]
    settings.NB_BALLOT_SEAL_KEY = ""
    settings.PRODUCTION = True
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert "BALLOT_SEAL_KEY is not set" in response.json()["SealKey()"]


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server")
def test_ready_is_503_while_redis_is_stopped(client, settings):
    port = free_port()
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"

    def start():
        process = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        wait_port(port)
        return process

    redis = start()
    try:
        response = client.get("/health/ready")
        assert response.status_code == 200 and len(response.json()) == 4
        redis.terminate()
        redis.wait(10)
        response = client.get("/health/ready")
        assert response.status_code == 503
        redis_check = next(k for k in response.json() if k.startswith("Redis"))
        assert response.json()[redis_check] != "OK"
        redis = start()
        assert client.get("/health/ready").status_code == 200
    finally:
        redis.terminate()
        redis.wait(10)


def metric(text, name):
    found = re.search(rf"^{re.escape(name)} ([0-9.e+]+)$", text, re.M)
    return float(found.group(1)) if found else None


def test_metrics_are_for_scrapers_only(vote_world, settings):  # noqa: F811
    settings.METRICS_TOKEN = "scrape-token-0123456789"
    outsider = Client(REMOTE_ADDR="203.0.113.9")
    assert outsider.get("/metrics").status_code == 404
    assert (
        outsider.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    )
    with_token = outsider.get(
        "/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-0123456789"
    )
    assert with_token.status_code == 200
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 200
    # Through the local proxy, the proxy's caller counts; a forged header from outside
    # does not.
    proxied = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert proxied.get("/metrics").status_code == 404
    forged = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert forged.get("/metrics").status_code == 404


def test_metrics_count_what_the_platform_does(vote_world, client):  # noqa: F811
    w = vote_world
    w["open"]()
    scraper = Client(REMOTE_ADDR="127.0.0.1")
    before = scraper.get("/metrics").content.decode()
    assert metric(before, 'nb_ballots_cast_total{channel="online"}') is None
    assert metric(before, "nb_sealed_ballots_waiting") == 0
    for voter in w["voters"][:3]:
        ballot_cast(
            user=voter, cycle=w["cycle"], choices={str(w["section"].pk): w["codes"][:1]}
        )
    client.get(reverse("ballots:vote", args=[w["cycle"].slug]))
    after = scraper.get("/metrics").content.decode()
    assert metric(after, 'nb_ballots_cast_total{channel="online"}') == 3
    assert metric(after, "nb_sealed_ballots_waiting") == 3
    assert metric(after, 'nb_cycles{phase="voting"}') == 1
    assert "nb_outbox_backlog" in after and "nb_task_queue_depth" in after
    assert "nb_live_sockets_open" in after and "nb_export_builds_total" in after
    # django-prometheus: requests by view, and database timings.
    assert 'view="ballots:vote"' in after
    assert "django_db_execute_total" in after
    # No label carries personal data.
    for voter in w["voters"]:
        assert voter.email not in after


@pytest.fixture
def log_lines():
    """The production logging configuration, writing to a buffer."""
    logging.config.dictConfig(
        nb_logging.config(json_lines=True, level="DEBUG", requests=True)
    )
    buffer = io.StringIO()
    logging.getLogger().handlers[0].setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    logging.config.dictConfig(settings.LOGGING)


def test_logs_hold_no_personal_data(log_lines, vote_world, client, mailoutbox):  # noqa: F811
    from django.contrib.auth import get_user_model

    w = vote_world
    w["open"]()
    voter = w["voters"][0]
    voter.set_password("a long password 2026")
    voter.save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=voter, email=voter.email, defaults={"verified": True, "primary": True}
    )
    # Sign up, sign in, cast, check the receipt, vote with a posted code.
    client.post(
        reverse("account_signup"),
        {
            "email": "newcomer@example.org",
            "password1": "another long password",
            "password2": "another long password",
        },
    )
    client.post(
        reverse("account_login"),
        {"login": voter.email, "password": "a long password 2026"},
    )
    page = client.post(
        reverse("ballots:vote", args=[w["cycle"].slug]),
        {f"s{w['section'].pk}": w["codes"][:2]},
    ).content.decode()
    receipt = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", page).group(
        0
    )
    client.post(
        reverse("ballots:receipt", args=[w["cycle"].slug]), {"receipt": receipt}
    )
    client.logout()
    code = issue(w, 1)[0]
    open_ballot(client, w, code)
    code_cast(client, w, w["codes"][:1])
    client.get(f"/accounts/confirm-email/{code}-{voter.email}/")
    # A library that puts them in a message of its own is scrubbed too.
    logging.getLogger("some.library").warning(
        "could not deliver to %s (receipt %s, code %s)", voter.email, receipt, code
    )

    lines = log_lines()
    text = json.dumps(lines)
    secrets = [
        voter.email,
        "newcomer@example.org",
        receipt,
        code,
        code.replace("-", ""),
    ]
    assert [s for s in secrets if s in text] == []
    # Nor a ballot: neither the form's field for the budget nor the choices sent.
    field = f"s{w['section'].pk}"  # the ballot form's field for the budget
    leaked = [p for p in (f"{field}=", f'"{field}"', f'\\"{field}\\"') if p in text]
    assert leaked == []
    assert '"choices"' not in text
    assert get_user_model().objects.filter(email="newcomer@example.org").exists()
    requests = [line for line in lines if line["logger"] == "nb.request"]
    routes = {(line["method"], line["route"], line["status"]) for line in requests}
    assert ("POST", "accounts/login/", 302) in routes
    assert ("POST", "cycles/<slug:slug>/vote/", 200) in routes
    assert all(len(line["request_id"]) == 32 for line in requests)
    assert len({line["request_id"] for line in requests}) == len(requests)
    library = next(line for line in lines if line["logger"] == "some.library")
    assert (
        library["message"]
        == "could not deliver to [email] (receipt [code], code [code])"
    )


class _Sentry(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.received.append((self.path, body.decode()))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_error_reports_go_to_sentry_scrubbed():
    """A Sentry stand-in (its envelope endpoint) receives the report; SENTRY_DSN is all
    the site needs; what arrives has no email, code or receipt."""
    server = HTTPServer(("127.0.0.1", 0), _Sentry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    script = (
        "import django, sentry_sdk\n"
        "django.setup()\n"
        "try:\n"
        "    raise ValueError('voter anna@example.org, code ABCDE-FGHJK, receipt "
        "ABCD-EFGH-JKMN-PQRS')\n"
        "except ValueError as error:\n"
        "    sentry_sdk.capture_exception(error)\n"
        "sentry_sdk.flush(10)\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/42",
    }
    try:
        subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True)
        deadline = time.time() + 10
        while not _Sentry.received and time.time() < deadline:
            time.sleep(0.1)
    finally:
        server.shutdown()
    assert _Sentry.received, "no report reached the Sentry stand-in"
    path, body = _Sentry.received[0]
    assert path == "/api/42/envelope/"
    assert "ValueError" in body and "voter [email], code [code], receipt [code]" in body
    for secret in ("anna@example.org", "ABCDE-FGHJK", "ABCD-EFGH-JKMN-PQRS"):
        assert secret not in body


def test_the_sample_dashboard_asks_only_for_metrics_the_site_exports(vote_world):  # noqa: F811
    dashboard = json.loads((ROOT / "deploy/grafana-dashboard.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    asked = {
        re.sub(r"_(bucket|total)$", "", name)
        for expr in exprs
        for name in re.findall(r"\b((?:nb|django)_[a-z_]+)", expr)
    }
    exported = Client(REMOTE_ADDR="127.0.0.1").get("/metrics").content.decode()
    families = {
        re.sub(r"_total$", "", line.split()[2])
        for line in exported.splitlines()
        if line.startswith("# TYPE")
    }
    assert asked and asked - families == set()


def test_the_request_id_travels_with_a_task():
    """Published with the task's headers, set again when a worker runs it."""
    from types import SimpleNamespace

    from config.celery import _receive_request_id, _send_request_id

    token = nb_logging.request_id.set("a1b2c3d4e5f6")
    try:
        headers = {}
        _send_request_id(headers=headers)
        assert headers == {"nb_request_id": "a1b2c3d4e5f6"}
    finally:
        nb_logging.request_id.reset(token)
    assert nb_logging.request_id.get() == ""
    _receive_request_id(task=SimpleNamespace(request=SimpleNamespace(**headers)))
    assert nb_logging.request_id.get() == "a1b2c3d4e5f6"
    _receive_request_id(task=SimpleNamespace(request=SimpleNamespace()))
    assert nb_logging.request_id.get() == ""
