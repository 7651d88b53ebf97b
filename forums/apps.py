from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401 — connects the signal receivers
