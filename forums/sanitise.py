"""User text: a small set of markup is allowed (nh3, a maintained sanitiser); everything
else is removed or escaped. Plain line breaks become paragraphs."""

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
    "code",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


BLOCK_TAGS = ("<p", "<ul", "<ol", "<blockquote")


def clean_html(text: str) -> str:
    """Sanitise user-written text to safe HTML; plain text keeps its paragraphs."""
    text = (text or "").replace("\r\n", "\n").strip()
    cleaned = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener ugc",
    ).strip()
    if any(tag in cleaned for tag in BLOCK_TAGS):
        return cleaned
    # Already sanitised: only <p> and <br> are added around it.
    paragraphs = [p.strip() for p in cleaned.split("\n\n") if p.strip()]
    return "".join("<p>" + p.replace("\n", "<br>") + "</p>" for p in paragraphs)
