"""Staff in a real browser: log in, write a post with a featured image, preview, schedule,
publish, see it on the site, approve a pending comment and see it under the post."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from app.models import CommentStatus, Post, PostStatus, Role
from app.models.base import utcnow

pytestmark = pytest.mark.e2e


def _log_in(page, url: str) -> None:
    """Open an admin page, get sent to the login form, log in, land on the page."""
    page.goto(url)
    assert "/admin/login" in page.url
    page.get_by_label("Username or Email Address").fill("alice")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log In").click()
    page.wait_for_url(url)


def test_write_schedule_publish_and_moderate(
    live_server, page, shots, tmp_path, db, create_user, create_comment
):
    create_user("alice", role=Role.ADMINISTRATOR)
    photo = tmp_path / "lighthouse.jpg"
    Image.new("RGB", (1400, 900), (20, 90, 140)).save(photo, "JPEG")
    errors: list[str] = []
    # script errors only: missing favicons or avatars from third parties are not ours to judge
    page.on("pageerror", lambda e: errors.append(str(e)))

    _log_in(page, f"{live_server.url}/admin/posts/new")
    page.screenshot(path=str(shots / "1-editor-empty.png"), full_page=True)

    # write, with the live preview following the typing
    page.get_by_label("Title").fill("Lighthouse keepers")
    page.get_by_label("Content (Markdown)").fill("The lamp is *lit* at dusk.\n\n## Shifts")
    page.locator("#preview-output em", has_text="lit").wait_for()
    assert page.locator("#preview-output h2").inner_text() == "Shifts"
    page.get_by_label("Or upload a new image").set_input_files(str(photo))
    page.get_by_label("Caption").fill("The lighthouse at Pointe Saint-Mathieu")
    page.get_by_label("Alternative text").fill("A white lighthouse against a blue sky")
    # the Preview button (the path without JavaScript) renders the same text
    page.get_by_role("button", name="Preview").click()
    page.locator("#preview-output em", has_text="lit").wait_for()
    assert page.get_by_label("Title").input_value() == "Lighthouse keepers"
    page.screenshot(path=str(shots / "2-preview.png"), full_page=True)

    # schedule it (the upload is chosen again: a preview round trip cannot keep a file)
    page.get_by_label("Or upload a new image").set_input_files(str(photo))
    later = (utcnow() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Publish date and time").fill(later)
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Post scheduled.").wait_for()
    page.screenshot(path=str(shots / "3-scheduled.png"), full_page=True)
    db.session.expire_all()
    post = db.session.execute(select(Post)).scalar_one()
    assert post.status == PostStatus.SCHEDULED and post.featured_media is not None

    # publish it now
    page.get_by_label("Publish date and time").fill("")
    page.get_by_label("Status").select_option("published")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Post published.").wait_for()

    # see it on the site, with its featured image and caption
    page.get_by_role("link", name="View post").click()
    page.get_by_role("heading", name="Lighthouse keepers").first.wait_for()
    assert "The lighthouse at Pointe Saint-Mathieu" in page.locator("figcaption").inner_text()
    assert (
        page.locator("figure img").get_attribute("alt") == "A white lighthouse against a blue sky"
    )
    natural = page.locator("figure img").evaluate("img => img.naturalWidth")
    assert natural > 0
    post_url = page.url
    page.screenshot(path=str(shots / "4-on-the-site.png"), full_page=True)

    # a reader's comment waits for moderation; approve it from the queue
    db.session.expire_all()
    post = db.session.execute(select(Post)).scalar_one()
    create_comment(post, "What a *beautiful* light.", status=CommentStatus.PENDING, name="Maëlle")
    page.goto(post_url)
    assert "beautiful" not in page.content()
    page.goto(f"{live_server.url}/admin/")
    assert "1 comment awaiting moderation" in page.content()
    page.get_by_role("link", name="Comments", exact=True).click()
    page.screenshot(path=str(shots / "5-moderation.png"), full_page=True)
    page.get_by_role("button", name="Approve comment by Maëlle").click()
    page.get_by_text("Approve: 1 comment changed.").wait_for()
    page.goto(post_url)
    page.locator(".comment-content em, .comment em", has_text="beautiful").first.wait_for()
    page.screenshot(path=str(shots / "6-comment-approved.png"), full_page=True)
    assert errors == []


def test_autosave_keeps_a_new_draft_and_save_continues_it(live_server, page, db, create_user):
    create_user("alice", role=Role.ADMINISTRATOR)
    live_server.app.config["ADMIN_AUTOSAVE_SECONDS"] = 1
    _log_in(page, f"{live_server.url}/admin/posts/new")
    page.get_by_label("Title").fill("Half-written")
    page.get_by_label("Content (Markdown)").fill("The first paragraph, typed and not yet saved.")
    page.get_by_text("Draft autosaved at").wait_for()
    assert "/admin/posts/new" not in page.url  # the address is now the draft's own
    db.session.expire_all()
    draft = db.session.execute(select(Post)).scalar_one()
    assert draft.status == PostStatus.DRAFT and draft.source.startswith("The first paragraph")
    # typing more and saving by hand continues the same draft (no duplicate, no conflict)
    page.get_by_label("Content (Markdown)").fill("The first paragraph, and a second one.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Post draft saved.").wait_for()
    db.session.expire_all()
    posts = db.session.execute(select(Post)).scalars().all()
    assert [p.source for p in posts] == ["The first paragraph, and a second one."]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_admin_screens_fit_the_screen(
    live_server, page, shots, create_user, create_post, create_comment, width
):
    """Every main screen: no sideways scrolling, one h1, the menu landmark, no script errors."""
    create_user("alice", role=Role.ADMINISTRATOR)
    post = create_post("A post with a rather long title to see how the list wraps it")
    create_comment(post, "Waiting here", status=CommentStatus.PENDING)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_viewport_size({"width": width, "height": 900})
    _log_in(page, f"{live_server.url}/admin/")
    screens = [
        "/admin/",
        "/admin/posts/",
        f"/admin/posts/{post.id}/edit",
        "/admin/comments/",
        "/admin/media/",
        "/admin/media/new",
        "/admin/terms/category/",
        "/admin/users/",
        "/admin/settings/general",
        "/admin/settings/discussion",
        "/admin/privacy/",
    ]
    for path in screens:
        page.goto(f"{live_server.url}{path}")
        name = path.strip("/").replace("/", "-") or "admin"
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, overflow)
        assert page.locator("h1").count() == 1, path
        assert page.get_by_role("navigation", name="Admin menu").count() == 1, path
        assert page.get_by_role("main").count() == 1, path
    assert errors == []
