"""A resident's journey in Chromium: sign up, verify the email, join a forum with a
posted code, suggest an idea; the organiser turns it into a proposal and publishes it;
residents debate it. Key pages are screenshotted at phone and desktop widths and checked
with axe-core."""

import re
import shutil

import pytest

from civic.models import User
from forums.models import Idea, Proposal
from forums.services import residency_codes
from tests.e2e.test_voting_in_the_browser import browser, check_axe, session_for, shoot  # noqa: F401
from tests.servers import free_port, start_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_sign_up_join_suggest_publish_debate(vote_world, browser, settings):  # noqa: F811
    import os

    w = vote_world
    # The organiser also lives there, so they can reply in the debate.
    from civic.models import RoleKind
    from tests.factories import grant

    grant(w["organiser"], w["hood"], RoleKind.RESIDENT)
    port = free_port()
    server = start_server(
        port,
        os.environ.get("REDIS_URL", ""),
        f"nbjourney{os.getpid()}",
        extra_env={
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(settings.BASE_DIR / ".cache" / "mail"),
        },
    )
    base = f"http://127.0.0.1:{port}"
    mail_dir = settings.BASE_DIR / ".cache" / "mail"
    shutil.rmtree(mail_dir, ignore_errors=True)
    try:
        page = browser.new_context().new_page()
        page.goto(f"{base}/")
        check_axe(page, "home")
        shoot(page, "home")
        page.goto(f"{base}/accounts/signup/")
        page.fill("input[name=email]", "newcomer@example.org")
        page.fill("input[name=password1]", "a-long-pass-phrase-42")
        page.fill("input[name=password2]", "a-long-pass-phrase-42")
        page.click("main form button[type=submit]")
        page.wait_for_url(
            re.compile(r".*/confirm-email/.*|.*verification.*|.*/accounts/.*")
        )
        # Read the verification link from the mail the server wrote.
        texts = "".join(p.read_text() for p in sorted(mail_dir.glob("*.log")))
        link = re.findall(r"http://[^\s]+/accounts/confirm-email/[^\s]+/", texts)[-1]
        page.goto(
            link.replace("http://localhost:8000", base).replace(
                "http://127.0.0.1:8000", base
            )
        )
        page.click("main form button[type=submit]")
        user = User.objects.get(email="newcomer@example.org")
        assert user.emailaddress_set.get().verified

        code = (
            residency_codes.generate(
                actor=w["organiser"], forum=w["forum"], count=1, days_valid=30
            )
            .codes.get()
            .plain
        )
        page.goto(f"{base}/forums/lane-end/join/")
        page.check("input[value=code]")
        page.fill("#id_code", code)
        page.click("main form button[type=submit]")
        assert "verified member" in page.inner_text(".messages")
        check_axe(page, "forum")
        shoot(page, "forum")

        page.goto(f"{base}/forums/lane-end/ideas/new/")
        page.fill("#id_title", "Hanging baskets")
        page.fill("#id_summary", "Flowers on the high street lamp posts")
        page.fill("#id_description", "Twenty baskets, watered by volunteers.")
        page.select_option("#id_category", str(w["proposals"][0].category_id))
        page.fill("#id_rough_cost", "1800")
        page.click("main form button[type=submit]")
        idea = Idea.objects.get(title="Hanging baskets")

        organiser = browser.new_context()
        organiser.add_cookies(
            [{"name": "sessionid", "value": session_for(w["organiser"]), "url": base}]
        )
        op = organiser.new_page()
        op.goto(f"{base}/forums/lane-end/ideas/{idea.pk}/")
        op.check("input[value=accept]")
        op.fill("#id_cost", "2000")
        op.fill("#id_feasibility_note", "Highways approve; volunteers water them.")
        op.click("main form button[type=submit]")
        proposal = Proposal.objects.get(idea=idea)
        op.goto(f"{base}/forums/lane-end/proposals/{proposal.pk}/")
        op.select_option("#id_to", "published")
        op.click("form[action$='/status/'] button[type=submit]")
        proposal.refresh_from_db()
        assert proposal.status == "published"

        page.goto(f"{base}/forums/lane-end/proposals/{proposal.pk}/")
        page.fill("#id_body", "Lovely idea <script>window.pwned=1</script>")
        page.click("form.comment-form button[type=submit]")
        assert page.evaluate("() => window.pwned === undefined")
        assert "Lovely idea" in page.inner_text(".comments")
        op.goto(f"{base}/forums/lane-end/proposals/{proposal.pk}/")
        op.click(".reply-box summary")
        op.fill(".reply-box textarea", "Thanks, we will order them in spring.")
        op.click(".reply-box button[type=submit]")
        page.reload()
        assert "order them in spring" in page.inner_text(".comments .replies")
        check_axe(page, "proposal")
        shoot(page, "proposal")
    finally:
        server.terminate()
        server.wait(10)
