"""In production the Content Security Policy is enforced: the public pages allow no
inline script, and the Wagtail admin's own widgets (date pickers, choosers, the
contributions and sections panels) still work under the admin's policy, in Chromium."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from ballots.models import Cycle
from civic.models import PlaceKind
from tests.e2e.test_voting_in_the_browser import browser, session_for  # noqa: F401
from tests.factories import (
    BudgetFactory,
    ContributionFactory,
    UserFactory,
    make_place,
)
from tests.servers import ROOT, free_port, start_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def production_server(static_root):
    env = {
        "STATIC_ROOT": str(static_root),
        "DJANGO_ENV": "production",
        # The test process signs the session below with its own key.
        "SECRET_KEY": django_settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
    }
    # Production serves the collected, hashed static files (whitenoise's manifest).
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        timeout=300,
    )
    port = free_port()
    server = start_server(port, "", "nbcsp", env)
    return server, f"http://127.0.0.1:{port}"


def test_admin_widgets_work_under_the_production_policy(
    browser,  # noqa: F811
    settings,
    tmp_path,
):
    county = make_place("Shire", PlaceKind.COUNTY)
    old_mill = make_place("Old Mill", PlaceKind.NEIGHBOURHOOD, county)
    budget = BudgetFactory(place=old_mill)
    ContributionFactory(budget=budget)
    cycle = Cycle.objects.create(place=old_mill, name="Old Mill", slug="om-csp")
    admin = UserFactory(is_superuser=True, is_staff=True)
    server, base = production_server(tmp_path / "static")
    try:
        context = browser.new_context()
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": session_for(admin),
                    "url": base,
                }
            ]
        )
        page = context.new_page()
        refused = []
        page.on(
            "console",
            lambda m: (
                refused.append(m.text) if "Content Security Policy" in m.text else None
            ),
        )

        public = page.goto(base + "/places/old-mill/")
        policy = public.headers["content-security-policy"]
        assert "script-src 'self';" in policy + ";"
        # The API's interactive docs (Swagger UI from our static files) run under the
        # public policy: every operation is drawn.
        docs = page.goto(base + "/api/v1/docs")
        assert "script-src 'self';" in docs.headers["content-security-policy"] + ";"
        page.wait_for_selector(".opblock-summary-path")
        assert page.locator(".opblock").count() == 11

        response = page.goto(base + f"/admin/snippets/civic/budget/edit/{budget.pk}/")
        assert response.status == 200
        policy = response.headers["content-security-policy"]
        assert "script-src 'self' 'unsafe-inline'" in policy
        assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
        # The date picker opens; "Add contribution" adds a form to the panel.
        page.click("#id_period_start")
        page.wait_for_selector(".xdsoft_datetimepicker:visible")
        # Focus elsewhere closes the picker, which may cover the panel below it.
        page.click("#id_name")
        page.wait_for_selector(".xdsoft_datetimepicker:visible", state="hidden")
        forms = page.input_value("#id_contributions-TOTAL_FORMS")
        page.click("#id_contributions-ADD")
        assert int(page.input_value("#id_contributions-TOTAL_FORMS")) == int(forms) + 1

        response = page.goto(base + f"/admin/snippets/ballots/cycle/edit/{cycle.pk}/")
        assert response.status == 200
        page.click("#id_voting_start")
        page.wait_for_selector(".xdsoft_datetimepicker:visible")
        before = page.input_value("#id_sections-TOTAL_FORMS")
        page.click("#id_sections-ADD")
        assert int(page.input_value("#id_sections-TOTAL_FORMS")) == int(before) + 1
        # The new section's place chooser opens its modal, listing places.
        page.click(f"#id_sections-{before}-place-chooser .chooser__choose-button")
        page.wait_for_selector(".modal-content >> text=Old Mill", state="visible")
        assert refused == []
    finally:
        server.terminate()
        server.wait(timeout=10)
