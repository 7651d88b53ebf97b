"""Settings for the casting benchmark: the project's own settings plus one extra URL,
a minimal view that only inserts one row, served by the same stack for comparison."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
