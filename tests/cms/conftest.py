import pytest
from django.core.management import call_command


@pytest.fixture
def demo_site(db, settings):
    """The whole seed_demo site (places, forums, cycles, pages in both languages); the
    demo's staff logins count as having two-factor authentication."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    settings.DEBUG = False
    settings.NB_DEMO_MFA_EXEMPT = True
