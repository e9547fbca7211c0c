"""Markdown -> HTML -> nh3 allow-list sanitiser, for posts (rich) and comments (lite)."""

from __future__ import annotations

import html
import re

import nh3
from markdown_it import MarkdownIt

# Staff write posts: CommonMark with tables and strikethrough, raw HTML allowed but sanitised.
_post_md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
_post_md.enable(["table", "strikethrough"])

# Readers write comments: paragraphs, links, emphasis, code, quotes, lists. No raw HTML,
# no headings, images or tables (WordPress's comment allow-list is about this size).
_comment_md = MarkdownIt("commonmark", {"html": False})
_comment_md.disable(["heading", "lheading", "image", "html_block", "html_inline", "hr"])

POST_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "del", "dd", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    "h1",
}  # fmt: skip
POST_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading", "srcset", "sizes"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "code": {"class"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
COMMENT_TAGS = {
    "a", "b", "blockquote", "br", "code", "del", "em", "i", "li", "ol", "p", "pre", "q", "s",
    "strong", "ul",
}  # fmt: skip
URL_SCHEMES = {"http", "https", "mailto"}

_TAG_RE = re.compile(r"<[^>]+>")
_SPACE_RE = re.compile(r"\s+")
_PRE_RE = re.compile(r"<pre\b.*?</pre>", re.S | re.I)


def render_post(source: str) -> str:
    """Render a post or page body (Markdown, HTML allowed) to safe HTML."""
    raw = _post_md.render(source or "")
    return nh3.clean(
        raw,
        tags=POST_TAGS,
        attributes=POST_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
    )


def render_comment(source: str) -> str:
    """Render a reader's comment (Markdown-lite) to safe HTML; links get rel="nofollow ugc"."""
    raw = _comment_md.render(source or "")
    return nh3.clean(
        raw,
        tags=COMMENT_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
    )


def strip_tags(markup: str) -> str:
    """Plain text of an HTML fragment, with whitespace folded."""
    text = nh3.clean(markup or "", tags=set())
    return _SPACE_RE.sub(" ", html.unescape(_TAG_RE.sub(" ", text))).strip()


def summarize(markup: str, words: int = 55) -> str:
    """WordPress's automatic excerpt: the first `words` words of the text, then an ellipsis.

    Code blocks are left out: a line of code cut off mid-way reads as noise in a teaser.
    """
    parts = strip_tags(_PRE_RE.sub(" ", markup or "")).split(" ")
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]) + " \u2026"
