from django.core.management.base import BaseCommand
from django.utils import timezone

from civic import tasks
from civic.models import OutgoingEmail


class Command(BaseCommand):
    help = (
        "List the emails not sent yet (attempts, the last error, when the next try is "
        "due); --flush queues them all now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--flush", action="store_true")

    def handle(self, *args, flush=False, **options):
        unsent = OutgoingEmail.objects.filter(sent_at__isnull=True).order_by(
            "created_at"
        )
        if flush:
            unsent.update(next_attempt_at=timezone.now())
            self.stdout.write(f"{tasks.flush_outbox()} email(s) queued.")
            unsent = unsent.all()
        for row in unsent:
            self.stdout.write(
                f"{row.created_at:%Y-%m-%d %H:%M} {row.to} “{row.subject}” "
                f"attempts={row.attempts} next={row.next_attempt_at:%H:%M} "
                f"{row.last_error}"
            )
        self.stdout.write(
            self.style.SUCCESS(f"{unsent.count()} email(s) waiting to be sent.")
        )
