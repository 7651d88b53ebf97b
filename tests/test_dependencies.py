"""Every third-party package the application imports is declared in pyproject.toml:
the imports of the apps, config and deploy (parsed, function-local ones included) are
mapped to the distributions that provide them, and each must be a declared
dependency (tests and bench may also use the test extras)."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = (
    "demo",
    "config",
    "opendata",
    "cms",
    "accountability",
    "ballots",
    "forums",
    "civic",
    "deploy",
)
OWN = {*APP, "tests", "bench", "manage"}


def imported_modules(folders) -> set[str]:
    found = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and not node.level:
                    found.add(node.module.split(".")[0])
    return found - OWN - set(sys.stdlib_module_names)


def declared(*groups) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"])
    for group in groups:
        specs += project["optional-dependencies"][group]
    return {
        re.split(r"[\[<>=!~; ]", spec, maxsplit=1)[0].lower().replace("_", "-")
        for spec in specs
    }


def undeclared(modules, allowed) -> dict[str, list[str]]:
    providers = packages_distributions()
    missing = {}
    for module in sorted(modules):
        names = {d.lower().replace("_", "-") for d in providers.get(module, [])}
        if not names & allowed:
            missing[module] = sorted(names)
    return missing


def test_the_application_imports_only_declared_dependencies():
    assert undeclared(imported_modules(APP), declared()) == {}


def test_tests_and_benchmarks_import_only_declared_dependencies():
    assert undeclared(imported_modules(["tests", "bench"]), declared("test")) == {}
