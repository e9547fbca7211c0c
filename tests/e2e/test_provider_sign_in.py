"""A reader in a real browser signs in with Google (the local stand-in) and posts the comment."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.blog.urls import post_url
from app.devidp import provider_config
from app.models import Comment, Identity
from tests.auth_support import CLIENTS, idp_fixture  # noqa: F401 (fixture)

pytestmark = pytest.mark.e2e


def test_comment_survives_google_sign_in_and_is_posted(
    live_server, idp, page, shots, db, create_post
):
    post = create_post("Lanterns on the quay", "The harbour lights were lit at dusk.")
    live_server.app.config.update(provider_config(idp.url, {"google": CLIENTS["google"]}))
    with live_server.app.test_request_context():
        permalink = live_server.url + post_url(post)

    page.goto(permalink)
    typed = "The lanterns looked *wonderful* from the hill."
    page.get_by_label("Comment", exact=True).fill(typed)
    page.get_by_role("button", name="Log in with Google").click()

    # At the provider (the development stand-in), clearly labelled as such.
    page.wait_for_url(re.compile(re.escape(idp.url) + r"/google/authorize"))
    assert page.get_by_text("Development stand-in").first.is_visible()
    page.get_by_label("Display name").fill("Gina Lamp")
    page.get_by_label("Email", exact=True).fill("gina@example.org")
    page.screenshot(path=str(shots / "provider-sign-in-form.png"))
    page.get_by_role("button", name="Allow").click()

    # Back on the post at #respond with the text still there, ready to send.
    page.wait_for_url(re.compile(re.escape(permalink) + r".*#respond$"))
    identity = db.session.execute(select(Identity)).scalar_one()
    assert (identity.provider, identity.name) == ("google", "Gina Lamp")
    respond = page.locator("#respond")
    assert "Gina Lamp" in respond.inner_text()
    assert "wonderful" in respond.inner_text()
    page.screenshot(path=str(shots / "back-from-provider.png"), full_page=True)
    page.locator("#respond").get_by_role("button", name="Post").first.click()

    page.wait_for_url(re.compile(r"#comment-\d+$"))
    comment = db.session.execute(select(Comment)).scalar_one()
    assert page.url.endswith(f"#comment-{comment.id}")
    assert comment.identity_id == identity.id
    shown = page.locator(f"#comment-{comment.id}")
    assert "wonderful" in shown.inner_text()
    assert "Gina Lamp" in shown.inner_text()
