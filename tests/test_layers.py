"""The layers hold in the code: `lint-imports` (run by `make lint` and `make test`)
checks the imports; these check what it cannot see, the models' relations and
`apps.get_model` lookups: none points up a layer."""

import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]
# Lowest first, as in pyproject.toml's layers contract.
LAYERS = ["civic", "forums", "ballots", "accountability", "cms", "opendata"]


def level(app_label: str) -> int | None:
    return LAYERS.index(app_label) if app_label in LAYERS else None


def test_no_relation_points_up_a_layer():
    upward = []
    for model in apps.get_models():
        own = level(model._meta.app_label)
        if own is None:
            continue
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete) or field.auto_created:
                continue
            target = level(field.related_model._meta.app_label)
            if target is not None and target > own:
                upward.append(
                    f"{model._meta.label}.{field.name} → {field.related_model._meta.label}"
                )
    assert upward == []


def test_the_check_sees_a_relation_that_points_up():
    """The check above is not vacuous: decisions point at cycles and proposals,
    down from accountability; seen from civic those would point up."""
    decision = apps.get_model("accountability", "Decision")
    targets = {
        f.name: f.related_model._meta.app_label
        for f in decision._meta.get_fields()
        if f.is_relation and f.concrete
    }
    assert targets["cycle"] == "ballots" and targets["proposals"] == "forums"
    assert level("ballots") > level("civic") and level("forums") > level("civic")


def test_no_get_model_points_up_a_layer():
    pattern = re.compile(r"""get_model\(\s*["'](\w+)["']""")
    upward = []
    for app in LAYERS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for label in pattern.findall(path.read_text()):
                if level(label) is not None and level(label) > level(app):
                    upward.append(f"{path.relative_to(ROOT)}: {label}")
    assert upward == []


def test_demo_code_lives_only_in_the_demo_app():
    """The demo site is built by the `demo` app, on top of every layer: no production
    app holds a demo module or command."""
    found = [
        str(path.relative_to(ROOT))
        for app in ("config", *LAYERS)
        for path in (ROOT / app).rglob("*demo*.py")
    ]
    assert found == []
