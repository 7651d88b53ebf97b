"""Production mode refuses to start without secrets and passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")
    }
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_refuses_with_a_clear_message():
    result = run_manage("check", env_extra={"DJANGO_ENV": "production"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "ALLOWED_HOSTS" in result.stderr


def test_production_check_deploy_has_no_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DJANGO_ENV": "production",
            "SECRET_KEY": "x" * 20
            + "-a-long-random-looking-secret-for-the-test-0123456789",
            "ALLOWED_HOSTS": "budgets.example.org",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_env_example_lists_every_variable_the_settings_read():
    import re

    source = (ROOT / "config" / "settings.py").read_text()
    read = set(
        re.findall(
            r'(?:os\.environ\.get|env_bool|env_list)\(\s*"([A-Z0-9_]+)"'
            r'|os\.environ\["([A-Z0-9_]+)"\]',
            source,
        )
    )
    names = {a or b for a, b in read} | {"DATABASE_URL"}  # read by dj_database_url
    listed = set(
        re.findall(r"^# ([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M)
    )
    assert len(names) >= 25
    assert sorted(names - listed) == []


def test_links_point_at_the_port_the_site_runs_on():
    """Without SITE_URL, emails, code letters and notices link to the port `make run`
    serves on (PORT), not always 8000."""
    show = [
        "shell",
        "-c",
        "from django.conf import settings; print(settings.WAGTAILADMIN_BASE_URL)",
    ]
    env = {"DEBUG": "1", "SITE_URL": "", "PORT": "8123"}
    assert (
        run_manage(*show, env_extra=env)
        .stdout.strip()
        .endswith("http://127.0.0.1:8123")
    )
    env = {"DEBUG": "1", "SITE_URL": "https://budgets.example.org", "PORT": "8123"}
    assert (
        run_manage(*show, env_extra=env)
        .stdout.strip()
        .endswith("https://budgets.example.org")
    )
