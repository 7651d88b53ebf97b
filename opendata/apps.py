from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "opendata"
    verbose_name = "Open data"

    def ready(self):
        from . import receivers, tasks  # noqa: F401
