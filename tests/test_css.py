"""The design tokens hold: every colour the stylesheets and scripts use is named once,
in civic/static/civic/tokens.css, and every token a stylesheet asks for exists.
(`make lint` runs stylelint with the same rule; this runs in every `make test`.)"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOKENS = ROOT / "civic/static/civic/tokens.css"
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\(")


def ours(pattern: str) -> list[Path]:
    return [
        path
        for app in ("civic", "forums", "ballots", "accountability", "cms")
        for path in (ROOT / app / "static").rglob(pattern)
        if "vendor" not in path.parts
    ]


def test_colours_are_written_only_in_the_tokens():
    found = [
        f"{path.relative_to(ROOT)}: {match}"
        for path in ours("*.css") + ours("*.js")
        if path != TOKENS
        for match in COLOUR.findall(path.read_text())
    ]
    assert found == []


def test_every_token_used_is_defined():
    defined = set(re.findall(r"(--[\w-]+)\s*:", TOKENS.read_text()))
    used = set()
    for path in ours("*.css") + ours("*.js"):
        text = path.read_text()
        used |= set(re.findall(r"var\((--[\w-]+)\)", text))
        used |= set(re.findall(r'token\("(--[\w-]+)"\)', text))
    assert used and used - defined == set()


def test_the_tokens_hold_only_custom_properties():
    body = re.sub(r"/\*.*?\*/", "", TOKENS.read_text(), flags=re.S)
    declarations = re.findall(r"([\w-]+)\s*:", body.split("{", 1)[1])
    assert declarations and all(d.startswith("--") for d in declarations)
