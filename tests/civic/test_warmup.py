"""A server process compiles the project's templates before its first request."""

from django.template import engines

from civic.warmup import project_templates, warm_up


def test_warm_up_compiles_every_project_template_into_the_cache():
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    assert "ballots/results.html" not in loader.get_template_cache

    compiled = warm_up()

    names = project_templates()
    assert compiled == len(names)
    assert "ballots/results.html" in names
    assert "base.html" in names
    # The project's own, not every library's (Django's admin has no override here).
    assert not any(name.startswith("admin/") for name in names)
    assert "ballots/results.html" in loader.get_template_cache
    assert "base.html" in loader.get_template_cache
