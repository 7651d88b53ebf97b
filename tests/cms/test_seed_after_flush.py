"""seed_demo rebuilds Wagtail's root page and default locale when a database was flushed
(as transactional tests and `manage.py flush` leave it)."""

import pytest
from django.core.management import call_command
from wagtail.models import Locale, Page


@pytest.mark.django_db(transaction=True)
def test_seed_demo_after_a_flush(settings):
    Page.objects.all().delete()
    Locale.objects.all().delete()
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert Page.objects.filter(depth=1).count() == 1
    homes = Page.objects.filter(depth=2)
    assert {p.specific_class.__name__ for p in homes} == {"HomePage"}
    assert sorted(homes.values_list("locale__language_code", flat=True)) == ["cy", "en"]
