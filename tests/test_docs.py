"""The README and docs/ name only what exists: every file or folder path they quote
(in backticks), every `make` target and every `manage.py` command; every page of
docs/ is linked from the README; and the README stays short."""

import re
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
QUOTED = re.compile(r"`([^`\n]+)`")
PATH = re.compile(r"^[\w.-]+(/[\w.*<>-]*)+$|^[\w-]+\.(py|md|toml|html|css|js|json|sh)$")
FILE_SUFFIXES = (".py", ".md", ".toml", ".html", ".css", ".js", ".json", ".conf")
PRODUCED = {"screenshots/", "manifest.json"}  # made by a run (gitignored) or a backup


def quoted(page: Path) -> list[str]:
    return QUOTED.findall(page.read_text())


def _exists(text: str) -> bool:
    """A quoted path with a folder exists from the project root; a bare file name
    exists somewhere in the project."""
    text = text.split(":")[0].rstrip("/")
    if "<" in text or "*" in text:  # a pattern: its folder exists
        return (ROOT / text.split("<")[0].split("*")[0]).parent.exists()
    if "/" in text:
        return (ROOT / text).exists()
    return any(
        ".venv" not in p.parts and ".cache" not in p.parts for p in ROOT.rglob(text)
    )


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_quoted_path_exists(page):
    missing = []
    for text in quoted(page):
        first = text.split()[0] if text.split() else ""
        looks_like_path = PATH.match(first) and (
            "/" in first or first.endswith(FILE_SUFFIXES)
        )
        if (
            looks_like_path
            and first not in PRODUCED
            and not first.startswith(("http", "/"))
            and not _exists(first)
        ):
            missing.append(first)
    assert missing == []


def _make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([\w-]+):", text, re.M))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_make_target_and_manage_command_exists(page):
    text = "\n".join(quoted(page))
    targets = set(re.findall(r"^make ([a-z][\w-]*)", text, re.M))
    commands = set(re.findall(r"manage\.py ([a-z][\w-]*)", text))
    assert targets - _make_targets() == set()
    assert commands - set(get_commands()) == set()


def test_the_readme_is_short_and_links_every_page():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 200
    for page in (ROOT / "docs").glob("*.md"):
        assert f"docs/{page.name}" in readme, page.name
