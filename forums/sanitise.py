"""User text: a small set of markup is allowed (nh3, a maintained sanitiser); everything
else is removed or escaped. Plain line breaks become paragraphs."""

import html

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "a", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(text: str) -> str:
    """Sanitise user-written text to safe HTML."""
    text = (text or "").replace("\r\n", "\n").strip()
    if "<" not in text:
        # Plain text: escape it and keep paragraphs and line breaks.
        paragraphs = [p for p in text.split("\n\n") if p.strip()]
        text = "".join(
            "<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs
        )
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener ugc",
    )
