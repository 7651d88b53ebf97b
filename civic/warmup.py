"""A server process's start: load what its first request would otherwise load.

Without this, the first visitor a process serves after a deploy or a restart waits for
the URL configuration to import every view module and for each template on the page to
be read and compiled (about half a second for the results page of a large vote). The
WSGI and ASGI entry points call `warm_up()` once, before the server takes requests."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import get_resolver

log = logging.getLogger(__name__)


def project_templates() -> list[str]:
    """The names of the project's own page templates (templates/ and each project
    app's templates/), not the back office's or a library's."""
    base = Path(settings.BASE_DIR)
    roots = [base / "templates"] + sorted(base.glob("*/templates"))
    names = set()
    for root in roots:
        if ".venv" in root.parts or not root.is_dir():
            continue
        names.update(path.relative_to(root).as_posix() for path in root.rglob("*.html"))
    return sorted(names)


def warm_up() -> int:
    """Import every view (through the URL configuration) and compile the project's
    templates into the cached loader. Returns how many templates were compiled."""
    get_resolver().url_patterns  # noqa: B018 — the import is the point
    engine = engines["django"]
    names = project_templates()
    for name in names:
        engine.get_template(name)
    log.info("warm-up: %s templates compiled", len(names))
    return len(names)
