from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo site (Northshire) and its commands, `seed_demo` and `demo_voting`: the
    top layer, above cms, so no production app carries demo code."""

    name = "demo"
    verbose_name = "Demo data"
