"""A reader in a real browser: home page -> post -> featured image, caption, threaded comments."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from app.models import Media, Taxonomy

pytestmark = pytest.mark.e2e


@pytest.fixture
def story(app, db, create_post, create_comment, create_term):
    """A published post with a featured photo, a caption, a category and a comment thread."""
    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1200, 675), (38, 84, 124)).save(folder / "harbour-e2e.png")
    media = Media(
        filename="harbour-e2e.png",
        original_name="harbour.png",
        mime_type="image/png",
        width=1200,
        height=675,
        alt_text="Fishing boats moored in a grey harbour",
    )
    db.session.add(media)
    db.session.commit()
    news = create_term("Harbour News", Taxonomy.CATEGORY)
    create_post("An older note", "Nothing much happened.", days_ago=3)
    post = create_post(
        "Boats return before the storm",
        "The fleet came back early on Tuesday.\n\nSkippers said the *swell* was rising.",
        days_ago=1,
        featured_media=media,
        featured_caption="The fleet at anchor on Tuesday morning. Photo: Ana Ruiz",
        featured_alt="Fishing boats moored in a grey harbour",
        terms=[news],
    )
    first = create_comment(post, "Glad everyone made it back.", name="Mara", minutes_ago=90)
    create_comment(post, "So were we, thank you!", parent=first, name="Tom", minutes_ago=60)
    create_comment(post, "Any news of the ferry?", name="Iris", minutes_ago=30)
    return post


def test_reader_follows_a_post_link_and_sees_caption_and_threaded_comments(
    live_server, page, shots, story
):
    page.goto(live_server.url + "/")
    assert page.title() == "Quire"
    summaries = page.locator("article.entry--summary h2")
    assert summaries.all_inner_texts() == ["Boats return before the storm", "An older note"]
    link = page.get_by_role("main").get_by_role(
        "link", name="Boats return before the storm", exact=True
    )
    link.click()
    page.wait_for_url("**/boats-return-before-the-storm/")

    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Boats return before the storm"
    assert "Skippers said the swell was rising." in page.locator(".entry-content").inner_text()

    figure = page.locator("figure.featured-image")
    image = figure.locator("img")
    assert image.get_attribute("alt") == "Fishing boats moored in a grey harbour"
    # The image really loaded (a broken image has no natural width).
    assert image.evaluate("img => img.complete && img.naturalWidth") == 1200
    assert figure.locator("figcaption").inner_text() == (
        "The fleet at anchor on Tuesday morning. Photo: Ana Ruiz"
    )
    # The photo sits above the body text.
    figure_top = figure.bounding_box()["y"]
    body_top = page.locator(".entry-content").bounding_box()["y"]
    assert figure_top < body_top

    assert page.locator("#comments-title").inner_text() == (
        "3 responses to \u201cBoats return before the storm\u201d"
    )
    top_level = page.locator("ol.comment-list > li.comment")
    assert top_level.count() == 2
    mara = top_level.nth(0)
    assert "Mara" in mara.locator(".comment-author").first.inner_text()
    reply = mara.locator("ol.children > li.comment")
    assert reply.count() == 1
    assert "Tom" in reply.locator(".comment-author").inner_text()
    assert reply.locator(".comment-content").inner_text() == "So were we, thank you!"
    # The reply is drawn indented inside its parent.
    assert reply.bounding_box()["x"] > mara.bounding_box()["x"]
    assert "Iris" in top_level.nth(1).locator(".comment-author").first.inner_text()

    page.screenshot(path=str(shots / "post-desktop.png"), full_page=True)
    assert (shots / "post-desktop.png").stat().st_size > 10_000


def test_post_page_fits_a_phone_screen(live_server, page, shots, story):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    page.screenshot(path=str(shots / "home-phone.png"), full_page=True)
    page.get_by_role("main").get_by_role(
        "link", name="Boats return before the storm", exact=True
    ).click()
    page.wait_for_url("**/boats-return-before-the-storm/")
    # Nothing overflows sideways: the page is no wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    image_box = page.locator("figure.featured-image img").bounding_box()
    assert image_box["width"] <= 390
    assert page.locator("figcaption").is_visible()
    page.screenshot(path=str(shots / "post-phone.png"), full_page=True)


def test_strict_content_security_policy_blocks_nothing_on_reading_pages(live_server, page, story):
    problems: list[str] = []
    # Chromium reports every blocked inline script, handler, style or form target on the console.
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    for path in ("/", "/?s=storm", "/no-such-page/"):
        response = page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
    page.goto(live_server.url + "/")
    page.get_by_role("main").get_by_role(
        "link", name="Boats return before the storm", exact=True
    ).click()
    page.wait_for_url("**/boats-return-before-the-storm/")
    # The stylesheet was allowed and applied.
    rules = page.evaluate("Array.from(document.styleSheets).map(s => s.cssRules.length)")
    assert rules and rules[0] > 20
    assert problems == []


PAGES = {
    "home": "/",
    "post": None,  # the demo's post with a featured image, found after seeding
    "category": "/category/workshop/",
    "archive": None,
    "search": "/?s=harbour",
    "about": "/about/",
    "404": "/no-such-page/",
}


@pytest.fixture
def demo(app):
    """The demo site, as `flask seed-demo` builds it."""
    from sqlalchemy import select

    from app.blog.urls import post_url
    from app.demo import seed_demo
    from app.extensions import db
    from app.models import Post

    seed_demo()
    featured = db.session.execute(
        select(Post).where(Post.featured_media_id.is_not(None)).order_by(Post.id)
    ).scalar_one()
    with app.test_request_context():
        return {
            **PAGES,
            "post": post_url(featured),
            "archive": f"/{featured.published_at:%Y/%m}/",
        }


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_theme_pages_fit_the_screen_and_keep_their_landmarks(live_server, page, shots, demo, width):
    page.set_viewport_size({"width": width, "height": 900})
    for name, path in demo.items():
        response = page.goto(live_server.url + path)
        assert response.status == (404 if name == "404" else 200), name
        # Nothing sticks out sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        # One banner, one main, one footer; exactly one h1; headings do not skip levels.
        for role in ("banner", "main", "contentinfo", "search"):
            assert page.get_by_role(role).count() >= 1, (name, role)
        levels = page.evaluate(
            "Array.from(document.querySelectorAll('main h1, main h2, main h3, main h4'))"
            ".map(h => Number(h.tagName[1]))"
        )
        assert levels.count(1) == 1, (name, levels)
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, (name, levels)
        # Every image says what it shows (or is marked decorative with alt="").
        assert page.locator("img:not([alt])").count() == 0, name
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def test_keyboard_focus_is_visible_and_skip_link_works(live_server, page, demo):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("el => el === document.activeElement")
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    assert skip.bounding_box()["y"] >= 0  # slid into view when focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"


CONTRAST_JS = """
selectors => selectors.map(selector => {
  const el = document.querySelector(selector);
  if (!el) return [selector, null];
  const rgb = value => value.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let bg = el, color = 'rgba(0, 0, 0, 0)';
  while (bg && (color = getComputedStyle(bg).backgroundColor).endsWith(', 0)')) {
    bg = bg.parentElement;
  }
  const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(rgb(color))];
  return [selector, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
})
"""
TEXT_SELECTORS = [
    ".entry-content p",
    ".entry-meta",
    ".entry-meta a",
    ".featured-image figcaption",
    ".comment-content p",
    ".comment-date a",
    ".site-description",
    ".widget-title",
    ".widget li a",
    ".nav-label",
    ".site-footer p",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_meets_wcag_aa_in_both_colour_schemes(
    live_server, browser, shots, demo, scheme
):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(live_server.url + demo["post"])
        ratios = dict(page.evaluate(CONTRAST_JS, TEXT_SELECTORS))
        page.screenshot(path=str(shots / f"post-{scheme}.png"), full_page=True)
    finally:
        context.close()
    missing = [selector for selector, ratio in ratios.items() if ratio is None]
    assert missing == []
    low = {selector: round(ratio, 2) for selector, ratio in ratios.items() if ratio < 4.5}
    assert low == {}


def test_reading_and_searching_work_with_javascript_switched_off(live_server, browser, story):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.get_by_role("main").get_by_role(
            "link", name="Boats return before the storm", exact=True
        ).click()
        page.wait_for_url("**/boats-return-before-the-storm/")
        assert page.locator("ol.comment-list > li.comment").count() == 2
        page.get_by_role("banner").get_by_label("Search for:").fill("older")
        page.get_by_role("banner").get_by_role("button", name="Search").click()
        page.wait_for_url("**/?s=older")
        results = page.get_by_role("main").locator("article h2")
        assert results.all_inner_texts() == ["An older note"]
    finally:
        context.close()
