"""The task queue (Celery on the Redis broker): emails, the phase scheduler and other
background work, never inside a request. Without REDIS_URL (`make run`) tasks run
eagerly in the process that queues them, so nothing needs a broker."""

import os

from celery import Celery
from celery.signals import before_task_publish, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("neighbourhood_budgets")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# The request id travels with each task (config/logging.py), so a task's log lines
# can be found beside the request that queued it.
@before_task_publish.connect
def _send_request_id(headers=None, **kwargs):
    from config.logging import request_id

    if headers is not None and request_id.get():
        headers["nb_request_id"] = request_id.get()


@task_prerun.connect
def _receive_request_id(task=None, **kwargs):
    from config.logging import request_id

    given = getattr(task.request, "nb_request_id", None) if task else None
    request_id.set(given or "")
