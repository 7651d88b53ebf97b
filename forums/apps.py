from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from civic import personal_data

        from . import personal_data as ours
        from . import receivers  # noqa: F401 — connects the signal receivers

        personal_data.register(export=ours.export, erase=ours.erase)
