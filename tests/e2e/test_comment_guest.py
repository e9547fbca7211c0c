"""A guest in a real browser: comment held for moderation, seen only by its author; JS replies."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.blog.urls import post_url
from app.models import Comment, CommentStatus
from app.settings import set_settings

pytestmark = pytest.mark.e2e


def permalink(live_server, post) -> str:
    """The post's absolute URL on the live server."""
    with live_server.app.test_request_context():
        return live_server.url + post_url(post)


def test_guest_comment_is_held_and_its_author_sees_it_awaiting_moderation(
    live_server, page, shots, db, create_post
):
    post = create_post("Boats return before the storm", "The fleet came back early.")
    set_settings({"avatar_source": "local"})
    db.session.commit()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(permalink(live_server, post))
    assert page.get_by_role("heading", name="Leave a Reply").is_visible()

    page.get_by_label("Comment", exact=True).fill("Glad to hear it.\n\nSafe harbour to all.")
    page.locator("#email").fill("mara@example.org")
    page.locator("#author").fill("Mara Quinn")
    page.get_by_label("Website", exact=True).fill("https://mara.example.org")
    page.get_by_label("Notify me of new comments via email.").check()
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))

    comment = db.session.execute(select(Comment)).scalar_one()
    assert comment.status == CommentStatus.PENDING
    assert comment.moderation_reason == "held: first comment"
    assert comment.notify_comments is True
    assert page.url.endswith(f"#comment-{comment.id}")
    shown = page.locator(f"#comment-{comment.id}")
    assert shown.get_by_text("Your comment is awaiting moderation.").is_visible()
    assert "Safe harbour to all." in shown.inner_text()
    assert shown.get_by_role("link", name="Mara Quinn").get_attribute("rel") == (
        "external nofollow ugc"
    )
    avatar = shown.locator("img.avatar")
    assert avatar.evaluate("img => img.complete && img.naturalWidth > 0")
    # Local avatars: the page asked nothing of any other host.
    assert hosts == {urlsplit(live_server.url).netloc}
    page.screenshot(path=str(shots / "guest-comment-awaiting-moderation.png"), full_page=True)
    assert (shots / "guest-comment-awaiting-moderation.png").stat().st_size > 0

    # Another reader (a fresh browser context) does not see it.
    other = page.context.browser.new_context()
    try:
        stranger = other.new_page()
        stranger.goto(permalink(live_server, post))
        assert stranger.locator(f"#comment-{comment.id}").count() == 0
        assert stranger.get_by_text("awaiting moderation").count() == 0
    finally:
        other.close()


def test_reply_link_moves_the_box_under_the_comment(
    live_server, page, shots, db, create_post, create_comment
):
    post = create_post("Boats return before the storm", "The fleet came back early.")
    mara = create_comment(post, "Glad everyone made it back.", name="Mara")
    create_comment(post, "Earlier words.", name="Tom Reed", email="tom@example.org")
    page.goto(permalink(live_server, post))

    page.locator(f"#comment-{mara.id}").get_by_role("link", name="Reply to Mara").click()
    assert page.get_by_role("heading", name="Leave a Reply to Mara").is_visible()
    # The box now sits inside Mara's comment, and the URL did not change (no reload).
    assert page.locator(f"#comment-{mara.id} #respond").count() == 1
    assert "replytocom" not in page.url
    assert page.get_by_role("link", name="Cancel reply").is_visible()

    page.get_by_label("Comment", exact=True).fill("So were we!")
    page.locator("#email").fill("tom@example.org")
    page.locator("#author").fill("Tom Reed")
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    reply = db.session.execute(select(Comment).order_by(Comment.id.desc())).scalars().first()
    assert reply.parent_id == mara.id and reply.status == CommentStatus.APPROVED
    nested = page.locator(f"#comment-{mara.id} .children #comment-{reply.id}")
    assert "So were we!" in nested.inner_text()
    page.screenshot(path=str(shots / "threaded-reply.png"), full_page=True)


def test_provider_button_says_connecting_while_the_browser_leaves(
    live_server, page, db, create_post
):
    post = create_post("Boats return before the storm", "The fleet came back early.")
    page.goto(permalink(live_server, post))
    # Note what the live region says at the moment the page is left (same-origin
    # sessionStorage survives the navigation).
    page.evaluate(
        """() => window.addEventListener("pagehide", () => sessionStorage.setItem(
            "said", document.getElementById("comment-status").textContent))"""
    )
    page.get_by_label("Comment", exact=True).fill("Typed before choosing Mastodon.")
    with page.expect_request("**/auth/mastodon/login**") as sent:
        page.get_by_role("button", name="Log in with Mastodon").click()
    assert sent.value.method == "POST"
    assert "Typed+before+choosing+Mastodon." in (sent.value.post_data or "")
    page.wait_for_load_state()
    assert page.evaluate("sessionStorage.getItem('said')") == "Connecting to Mastodon\u2026"
