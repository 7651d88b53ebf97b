"""Find anything in rendered HTML that could run script: a check for hostile-input tests."""

import re
from html.parser import HTMLParser

DANGEROUS_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}
URL_ATTRS = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "srcdoc",
    "background",
}
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data:text/html)", re.I)


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            src = attrs.get("src") or ""
            if not (
                src.startswith("/static/")
                or src.startswith("/admin/")
                or attrs.get("type") == "application/json"
            ):
                self.problems.append(f"<script {attrs}>")
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta refresh>")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            compact = re.sub(r"[\x00-\x20]", "", value or "")
            if name in URL_ATTRS and BAD_SCHEME.match(compact):
                self.problems.append(f"<{tag} {name}={value[:40]}>")
            if name == "style" and re.search(
                r"expression\(|javascript:|url\(", value or "", re.I
            ):
                self.problems.append(f"<{tag} style={value[:40]}>")

    handle_startendtag = handle_starttag


def unsafe_html(html: str) -> list[str]:
    checker = _Checker()
    checker.feed(html)
    return checker.problems
