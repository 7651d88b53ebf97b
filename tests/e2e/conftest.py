from tests.ballots.conftest import _no_frozen_cache, vote_world  # noqa: F401 — shared fixtures
