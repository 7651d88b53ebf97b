from django.apps import AppConfig


class CivicConfig(AppConfig):
    name = "civic"
    verbose_name = "Civic"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import permissions  # noqa: F401 — registers the permission rules
