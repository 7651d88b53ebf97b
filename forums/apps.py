from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from civic import personal_data

        from . import (
            permissions,  # noqa: F401 — registers the permission rules
            receivers,  # noqa: F401 — connects the signal receivers
        )
        from . import personal_data as ours

        personal_data.register(export=ours.export, erase=ours.erase)
