"""The comment box across a real provider sign-in (the emulator on a loopback port).

The reader types in the box and clicks a provider button: the browser posts the whole
form to the button's formaction. These tests do exactly that, from the page's own markup.
"""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import func, select

from app.models import Comment, CommentDraft
from tests.auth_support import (  # noqa: F401 (fixtures)
    at_provider,
    auth_app_fixture,
    form_fields,
    idp_fixture,
    local,
)
from tests.conftest import csrf_token
from tests.test_comments import input_value, page_text, textarea, url_of

ALICE = {"username": "alice", "name": "Alice Example", "email": "alice@example.org"}


def click_provider(client, html: str, provider: str, **typed):
    """Submit the comment form through a provider's button, as the browser does."""
    button = re.search(
        rf'<button type="submit" class="provider-button[^"]*" formaction="([^"]+)" '
        rf'formmethod="post" formnovalidate name="provider" value="{provider}"',
        html,
    )
    assert button, f"no {provider} button in the comment form"
    form = html[html.index('id="commentform"') :]
    data = {k: v for k, v in form_fields(form).items() if k != "instance"}
    data.update({"csrf_token": csrf_token(form), "provider": provider, **typed})
    return client.post(unescape(button.group(1)), data=data)


def test_provider_buttons_carry_the_typed_comment_and_come_back_ready_to_post(
    auth_app, idp, client, db, create_post
):
    post = create_post("Hello world")
    html = client.get(url_of(auth_app, post)).get_data(as_text=True)
    assert 'aria-label="Log in with GitHub"' in html
    assert "Fill in your details below or click an icon to log in:" in unescape(html)
    typed = {"comment": "Typed *before* the sign-in.", "subscribe_comments": "y"}
    answer = at_provider(click_provider(client, html, "github", **typed), **ALICE)
    back = client.get(local(answer.headers["Location"]))
    assert back.headers["Location"].endswith(f"{url_of(auth_app, post)}#respond")

    page = client.get(url_of(auth_app, post))
    assert "Post as Alice Example via GitHub?" in page_text(page)
    assert "<em>before</em>" in page.get_data(as_text=True)
    # Edit shows the form: the signed-in line instead of the guest fields, text in place.
    edit = client.get(f"{url_of(auth_app, post)}?edit_draft=1")
    assert "You are commenting using your GitHub account." in page_text(edit)
    assert textarea(edit.get_data(as_text=True)) == "Typed *before* the sign-in."
    assert 'name="author"' not in edit.get_data(as_text=True)

    html = page.get_data(as_text=True)
    confirm = html[html.index('class="comment-confirm"') :]
    body = unescape(re.search(r'<textarea name="comment" hidden>([^<]*)</textarea>', confirm)[1])
    data = {**form_fields(confirm.split("</form>")[0]), "comment": body}
    posted = client.post("/comments", data=data)
    comment = db.session.execute(select(Comment)).scalar_one()
    assert posted.headers["Location"].endswith(f"#comment-{comment.id}")
    assert comment.identity.provider == "github"
    assert comment.user_id == comment.identity.user_id
    assert comment.body_source == "Typed *before* the sign-in."
    assert comment.notify_comments is True
    assert db.session.execute(select(func.count(CommentDraft.id))).scalar_one() == 0
    page = client.get(url_of(auth_app, post))
    assert "Your comment is awaiting moderation." in page_text(page)
    assert "Post as" not in page_text(page)


def test_cancelled_sign_in_puts_everything_back_in_the_form(auth_app, idp, client, db, create_post):
    post = create_post("Hello world")
    html = client.get(url_of(auth_app, post)).get_data(as_text=True)
    typed = {"comment": "Do not lose me.", "author": "Guest", "email": "g@example.org"}
    answer = at_provider(click_provider(client, html, "github", **typed), action="deny")
    client.get(local(answer.headers["Location"]))
    page = client.get(url_of(auth_app, post))
    html = page.get_data(as_text=True)
    assert textarea(html) == "Do not lose me."
    assert input_value(html, "author") == "Guest"
    assert input_value(html, "email") == "g@example.org"
    assert "You are commenting using" not in page_text(page)
    assert db.session.execute(select(Comment)).first() is None


def test_change_and_log_out_from_the_box(auth_app, idp, client, db, create_post):
    post = create_post("Hello world")
    html = client.get(url_of(auth_app, post)).get_data(as_text=True)
    answer = at_provider(click_provider(client, html, "github", comment=""), **ALICE)
    client.get(local(answer.headers["Location"]))
    client.post(
        "/comments/draft/discard",
        data={"csrf_token": csrf_token(html), "comment_post_ID": str(post.id)},
    )
    page = client.get(url_of(auth_app, post)).get_data(as_text=True)
    assert "provider-button" not in page  # signed in: no icons until Change
    change = client.get(f"{url_of(auth_app, post)}?change_login=1").get_data(as_text=True)
    assert 'aria-label="Log in with Google"' in change
    logout = page[page.index('<div class="logged-in-as">') :].split("</form>")[0]
    assert 'action="/auth/logout"' in logout
    out = client.post("/auth/logout", data=form_fields(logout))
    assert out.headers["Location"].endswith(f"{url_of(auth_app, post)}#respond")
    page = client.get(url_of(auth_app, post))
    assert "You are commenting using" not in page_text(page)
    assert 'name="author"' in page.get_data(as_text=True)
    assert db.session.execute(select(Comment)).first() is None
