from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from civic.tasks import queue
from demo import accountability, ballots, cms, forums
from demo.civic import DEMO_PASSWORD, USERS, seed_civic
from opendata.tasks import refresh


class Command(BaseCommand):
    help = "Create (or top up) the demo county, its budgets, rules and demo logins."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it only runs "
                "with DEBUG on (DEBUG=1)."
            )
        seed_civic()
        for app in (forums, ballots, accountability, cms):  # each on what came before
            app.seed()
        call_command("update_index", verbosity=0)  # Wagtail search: pages and proposals
        queue(refresh, True)  # the open-data downloads (built here without a broker)
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Demo logins:"))
        for email, _name, kind, place, _postcode in USERS:
            self.stdout.write(f"  {email:<26} {kind.label:<16} {place}")
        self.stdout.write(
            f"  {'admin@example.org':<26} {'Site admin':<16} (Wagtail admin)"
        )
        self.stdout.write(f"Password for all of them: {DEMO_PASSWORD}")
