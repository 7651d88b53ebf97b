from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "ballots"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from civic import personal_data

        from . import permissions  # noqa: F401 — registers the permission rules
        from . import personal_data as ours

        personal_data.register(export=ours.export, erase=ours.erase)

        from . import voters

        voters.connect()

        # Live results and the task queue listen to what the box announces (events.py).
        from . import live, tasks  # noqa: F401
