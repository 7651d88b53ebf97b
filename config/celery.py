"""The task queue (Celery on the Redis broker): emails, the phase scheduler and other
background work, never inside a request. Without REDIS_URL (`make run`) tasks run
eagerly in the process that queues them, so nothing needs a broker."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("neighbourhood_budgets")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
