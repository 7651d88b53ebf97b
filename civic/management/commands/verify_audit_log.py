import sys

from django.core.management.base import BaseCommand

from civic.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and report the first broken entry."

    def handle(self, *args, **options):
        report = verify_chain()
        if report.ok:
            self.stdout.write(
                self.style.SUCCESS(f"Audit log intact: {report.checked} entries.")
            )
            return
        self.stderr.write(
            f"Audit log broken at entry {report.broken_id}: {report.reason} "
            f"({report.checked} entries before it verified)."
        )
        sys.exit(1)
