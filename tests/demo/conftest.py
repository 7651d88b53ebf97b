"""The demo's own tests run on the site seed_demo builds."""

import os

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings


@pytest.fixture(scope="module")
def _demo_data(django_db_setup, django_db_blocker):
    """seed_demo once per test module, in a transaction rolled back when the module is
    done; each test runs in a savepoint inside it, so none sees another's changes."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(DEBUG=True):
                call_command("seed_demo", stdout=open(os.devnull, "w"))
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo_site(_demo_data, db, settings):
    """The whole seed_demo site (places, forums, cycles, pages in both languages); the
    demo's staff logins count as having two-factor authentication."""
    settings.NB_DEMO_MFA_EXEMPT = True
