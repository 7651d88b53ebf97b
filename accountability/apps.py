from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    """Decisions and delivery: councillors' formal decisions on a cycle (with their
    votes and declared interests), and the delivery of funded projects (milestones,
    which body paid, who benefits). Above ballots and forums, below cms."""

    name = "accountability"
    verbose_name = "Decisions and delivery"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import permissions  # noqa: F401 — declares the permissions
