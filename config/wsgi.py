"""WSGI entry point, for serving plain HTTP on a WSGI server beside the ASGI one."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from civic.warmup import warm_up  # noqa: E402 — after Django is set up

warm_up()
