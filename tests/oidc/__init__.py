"""A real OpenID Connect provider for the tests (node `oidc-provider`, tests/oidc/
provider.mjs), started as its own process on this machine."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.servers import ROOT, wait_port

SCRIPT = Path(__file__).with_name("provider.mjs")
PACKAGE = ROOT / "node_modules" / "oidc-provider"


def start_provider(port: int, clients: list[dict], accounts: dict) -> subprocess.Popen:
    """The provider at http://127.0.0.1:<port>, with these clients and accounts."""
    if not (shutil.which("node") and PACKAGE.exists()):
        if os.environ.get("NB_REQUIRE_OIDC"):
            raise RuntimeError("CI needs node and oidc-provider from npm (npm ci)")
        pytest.skip("needs node and oidc-provider from npm (npm ci)")
    proc = subprocess.Popen(
        ["node", str(SCRIPT)],
        cwd=ROOT,
        env={
            **os.environ,
            "OP_PORT": str(port),
            "OP_CLIENTS": json.dumps(clients),
            "OP_ACCOUNTS": json.dumps(accounts),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_port(port)
    except RuntimeError:
        proc.kill()
        raise
    return proc


def client(client_id: str, secret: str, callback: str) -> dict:
    """A registered client of the provider (a confidential one: PKCE besides)."""
    return {
        "client_id": client_id,
        "client_secret": secret,
        "redirect_uris": [callback],
        "token_endpoint_auth_method": "client_secret_post",
    }
