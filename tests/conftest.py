import os

import pytest


def pytest_collection_modifyitems(config, items):
    """Tests that need a real service say so and why when it is not configured."""
    db_url = os.environ.get("DATABASE_URL", "")
    no_pg = pytest.mark.skip(
        reason="needs PostgreSQL: set DATABASE_URL=postgres://... (make test in CI does)"
    )
    no_redis = pytest.mark.skip(
        reason="needs Redis: set REDIS_URL=redis://... (make test in CI does)"
    )
    slow = pytest.mark.skip(reason="heavy: runs in CI (NB_RUN_SLOW=1, as .ci/run sets)")
    for item in items:
        if "slow" in item.keywords and os.environ.get("NB_RUN_SLOW") != "1":
            item.add_marker(slow)
        if "postgres" in item.keywords and not db_url.startswith("postgres"):
            item.add_marker(no_pg)
        if "redis" in item.keywords and not os.environ.get("REDIS_URL"):
            item.add_marker(no_redis)


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _no_stray_broadcast_timers(request, monkeypatch):
    """Live broadcasts run on a timer thread; outside the live-results tests they would
    outlive the test's database. Those tests, and tests marked live_broadcasts, keep
    them; elsewhere the update after a cast does only its first step, at once and in
    the test's thread: a full batch of sealed ballots is mixed into the box
    (live.flush, then the broadcast, which is left out)."""
    if "live" not in request.module.__name__ and not request.node.get_closest_marker(
        "live_broadcasts"
    ):
        from ballots import ballot_box, live

        monkeypatch.setattr(live, "ballot_cast", ballot_box.mix_when_full)


@pytest.fixture(scope="session")
def _media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_root(settings, _media_dir):
    """Uploads (pictures, documents) go to the run's own folder, never the project's
    media/ (one folder for the run: the demo site seeded once keeps its pictures)."""
    settings.MEDIA_ROOT = _media_dir


@pytest.fixture(autouse=True)
def _tasks_run_in_the_test():
    """Queued tasks (emails, the scheduler) run where they are queued, as with `make
    run`: no worker runs beside the tests. The queue's own tests start one."""
    from config.celery import app

    app.conf.task_always_eager = True
    yield


@pytest.fixture(autouse=True)
def _english_first(settings):
    """Each test starts in the site's default language, whatever language a previous
    test's request or `translation.activate` left active in this thread."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def notify(settings, client):
    """GOV.UK Notify set up against its local stand-in (tests/notify_stand_in.py): an
    email and a text template in English and Welsh, delivery receipts posted to the
    site's callback through the test client."""
    import json

    from django.urls import reverse

    from tests.notify_stand_in import NotifyStandIn

    stand_in = NotifyStandIn()
    templates = {
        "email": {"en": stand_in.template("email"), "cy": stand_in.template("email")},
        "sms": {"en": stand_in.template("sms", subject=""), "cy": stand_in.template("sms", subject="")},
    }  # fmt: skip
    settings.NB_NOTIFY = {
        "api_key": stand_in.api_key(),
        "base_url": stand_in.url,
        "templates": templates,
        "postage": "second",
        "callback_token": "callback-token-for-tests",
    }
    stand_in.callback_url = reverse("notify_callback")
    stand_in.callback_token = "callback-token-for-tests"
    stand_in.post_callback = lambda url, headers, body: (
        client.post(
            url,
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=headers["Authorization"],
        ).status_code
    )
    stand_in.templates_by_language = templates
    yield stand_in
    stand_in.close()
