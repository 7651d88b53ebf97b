"""Production mode sends a Content Security Policy with no inline scripts, and none of
our templates needs one."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import django, os
django.setup()
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from csp.middleware import CSPMiddleware
response = CSPMiddleware(lambda r: HttpResponse("x"))(RequestFactory().get("/"))
print(response.get("Content-Security-Policy", ""))
print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS > 0)
"""


def test_production_sends_a_strict_content_security_policy():
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "k" * 60,
        "ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("DEBUG", None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    policy, cookies = out.stdout.strip().splitlines()
    directives = dict(
        part.strip().split(" ", 1) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == "'self'"
    assert (
        directives["object-src"] == "'none'"
        and directives["frame-ancestors"] == "'none'"
    )
    assert cookies == "True True True"


def test_no_template_has_an_inline_script():
    for path in (ROOT / "templates").rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", path.read_text()):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)


def test_posts_without_a_csrf_token_are_refused(db):
    from django.test import Client
    from django.urls import reverse

    from civic.models import User

    user = User.objects.create_user(email="c@example.org", password="x-long-pass-1")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    for url in (
        reverse("civic:profile"),
        reverse("account_logout"),
        reverse("civic:delete_account"),
    ):
        assert client.post(url, {"password": "x-long-pass-1"}).status_code == 403, url
    assert User.objects.filter(pk=user.pk).exists()
