"""app/content: Markdown rendering, the allow-list sanitiser, excerpts and slugs."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from app.content import render_comment, render_post, slugify, strip_tags, summarize, unique_slug

# Markdown


def test_post_markdown_renders_commonmark_with_tables_and_strikethrough():
    source = "## Tides\n\nThe *high* tide, **twice** a day. ~~Never~~ always.\n\n" + (
        "| Day | Time |\n| --- | --- |\n| Mon | 06:10 |\n"
    )
    html = render_post(source)
    assert "<h2>Tides</h2>" in html
    assert "<em>high</em>" in html and "<strong>twice</strong>" in html
    assert "<s>Never</s>" in html or "<del>Never</del>" in html
    assert "<table>" in html and "<td>Mon</td>" in html and "<th>Day</th>" in html


def test_post_keeps_allowed_html_and_images():
    html = render_post(
        '<figure><img src="/uploads/a.jpg" alt="A boat"><figcaption>Boat'
        "</figcaption></figure>\n\n![Gull](https://example.org/gull.png)"
    )
    assert '<img src="/uploads/a.jpg" alt="A boat">' in html
    assert "<figcaption>Boat</figcaption>" in html
    assert '<img src="https://example.org/gull.png" alt="Gull">' in html


def test_post_code_blocks_are_escaped():
    html = render_post("```python\nif a < b and c > d:\n    print('<b>')\n```")
    assert '<code class="language-python">' in html
    assert "if a &lt; b and c &gt; d:" in html
    assert "print('&lt;b&gt;')" in html


class _Elements(HTMLParser):
    """Every element and attribute of an HTML fragment, as a browser would parse it."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


@pytest.mark.parametrize("render", [render_post, render_comment])
@pytest.mark.parametrize(
    "evil",
    [
        "<script>alert('x')</script>",
        '<img src="x.png" onerror="alert(1)">',
        '<a href="/" onclick="steal()">home</a>',
        '<p onmouseover="alert(1)">hover</p>',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="  javascript:alert(1)">x</a>',
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<iframe src="https://evil.example/"></iframe>',
        "<style>body{display:none}</style>",
        '<form action="https://evil.example/"><input name="p"></form>',
        '<p style="position:fixed">x</p>',
        "<svg><script>alert(1)</script></svg>",
        '<object data="x.swf"></object><embed src="x.swf">',
    ],
)
def test_sanitiser_strips_scripts_handlers_and_dangerous_urls(render, evil):
    parsed = _Elements(render(evil))
    assert set(parsed.tags) <= {"p", "a", "img"}, parsed.tags
    for name, value in parsed.attributes:
        assert not name.startswith("on"), (name, value)
        assert name != "style"
        if name in ("href", "src"):
            assert not value.strip().lower().startswith(("javascript:", "data:")), value


def test_sanitised_post_keeps_the_harmless_text():
    html = render_post('<p onclick="x()">Hello <script>bad()</script>world</p>')
    assert html == "<p>Hello world</p>"


def test_post_links_get_noopener():
    html = render_post("[Quire](https://example.org/)")
    assert html.strip() == '<p><a href="https://example.org/" rel="noopener">Quire</a></p>'


def test_comment_links_get_nofollow_ugc():
    html = render_comment("See [my post](https://example.org/post) please")
    assert '<a href="https://example.org/post" rel="nofollow ugc noopener">my post</a>' in html


def test_comment_raw_html_is_shown_as_text_not_markup():
    html = render_comment("I <b>love</b> <a href='https://x.example/'>this</a>")
    assert "<b>" not in html and "<a " not in html
    assert "&lt;b&gt;love&lt;/b&gt;" in html


def test_comments_have_no_headings_images_or_tables():
    html = render_comment("# Shouting\n\n![img](https://example.org/a.png)\n\n---")
    assert "<h1>" not in html and "<img" not in html and "<hr" not in html
    assert "Shouting" in html


def test_comment_keeps_basic_formatting():
    html = render_comment("*kind* and **bold**, `code`\n\n> quoted\n\n- one\n- two")
    assert "<em>kind</em>" in html and "<strong>bold</strong>" in html
    assert "<code>code</code>" in html
    assert "<blockquote>" in html and "<li>one</li>" in html


def test_empty_and_none_sources_render_to_nothing():
    assert render_post("") == ""
    assert render_comment(None) == ""


# Plain text and excerpts


def test_strip_tags_folds_whitespace_and_unescapes():
    assert strip_tags("<p>Fish &amp; chips</p>\n<p>on   the <em>pier</em></p>") == (
        "Fish & chips on the pier"
    )


def test_summarize_cuts_at_a_word_count_with_an_ellipsis():
    text = "<p>" + " ".join(f"w{i}" for i in range(60)) + "</p>"
    summary = summarize(text)
    assert summary.split(" ")[:55] == [f"w{i}" for i in range(55)]
    assert summary.endswith(" \u2026")
    assert summarize("<p>Short text.</p>") == "Short text."


# Slugs


@pytest.mark.parametrize(
    "title,slug",
    [
        ("Hello World", "hello-world"),
        ("  Spaces   and -- dashes__here ", "spaces-and-dashes-here"),
        ("Ünïcode Café", "unicode-cafe"),
        ("Crème brûlée: 3 ways!", "creme-brulee-3-ways"),
        ("Καλημέρα κόσμε", "καλημέρα-κόσμε"),
        ("Привет, мир", "привет-мир"),
        ("東京の夜", "東京の夜"),
        ("What's new?", "whats-new"),
        ("!!!", ""),
        ("", ""),
    ],
)
def test_slugify_keeps_letters_of_every_script(title, slug):
    assert slugify(title) == slug


def test_slugify_respects_max_length_without_a_trailing_dash():
    slug = slugify("word " * 100, max_length=23)
    assert len(slug) <= 23 and not slug.endswith("-")
    assert slug.startswith("word-word")


def test_unique_slug_adds_a_number_when_taken():
    taken = {"harbour", "harbour-2"}
    assert unique_slug("Harbour", taken.__contains__) == "harbour-3"
    assert unique_slug("Lighthouse", taken.__contains__) == "lighthouse"


def test_unique_slug_falls_back_when_nothing_is_left():
    assert unique_slug("???", lambda s: False) == "post"
    assert unique_slug("???", {"page"}.__contains__, fallback="page") == "page-2"


def test_unique_slug_against_the_database(db, create_post):
    from sqlalchemy import select

    from app.models import Post

    create_post("Storm warning")

    def taken(slug: str) -> bool:
        return db.session.execute(select(Post.id).where(Post.slug == slug)).first() is not None

    assert unique_slug("Storm Warning", taken) == "storm-warning-2"
