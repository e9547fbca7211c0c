"""The Leave a Reply box: posting, validation, threading, own comments, cookies, avatars."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from app.blog.urls import post_url
from app.models import Comment, CommentDraft, CommentStatus, Identity, Post, PostStatus, Role
from app.models.base import utcnow
from app.settings import set_settings
from tests.conftest import csrf_token


def url_of(app, post) -> str:
    """The permalink of a post."""
    with app.test_request_context():
        return post_url(post)


def page_text(response) -> str:
    """What a reader sees: the body without tags, entities decoded, spaces folded."""
    text = re.sub(r"<[^>]+>", "", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", unescape(text))


def field_error(html: str, name: str) -> str | None:
    """The message shown next to a field of the comment form."""
    match = re.search(
        rf'<span class="field-error" id="{re.escape(name)}-error">([^<]*)</span>', html
    )
    return unescape(match.group(1)) if match else None


def input_value(html: str, name: str) -> str | None:
    """The value of a text input in the comment form."""
    match = re.search(
        rf'<input id="{re.escape(name)}" name="{re.escape(name)}"[^>]* value="([^"]*)"', html
    )
    return unescape(match.group(1)) if match else None


def textarea(html: str) -> str | None:
    """The comment textarea's content."""
    match = re.search(r'<textarea id="comment" name="comment"[^>]*>([^<]*)</textarea>', html)
    return unescape(match.group(1)) if match else None


GUEST = {"author": "Ana Ruiz", "email": "ana@example.org", "url": "https://ana.example.org"}


def send(client, app, post, comment="A thoughtful reply.", page=None, **fields):
    """Fetch the post (or `page`), then post the comment form with its CSRF token."""
    html = client.get(page or url_of(app, post)).get_data(as_text=True)
    data = {"csrf_token": csrf_token(html), "comment_post_ID": str(post.id), "comment": comment}
    data.update(fields)
    return client.post("/comments", data=data)


@pytest.fixture
def no_flood(db):
    """Switch flood control off, so a test may post several comments in a row."""
    set_settings({"comment_flood_seconds": 0})
    db.session.commit()


def comments(db) -> list[Comment]:
    """Every stored comment, oldest first."""
    db.session.expire_all()
    return list(db.session.execute(select(Comment).order_by(Comment.id)).scalars())


# --- the box ----------------------------------------------------------------------------


def test_box_shows_wordpress_fields_under_an_open_post(app, client, create_post):
    post = create_post("Harbour notes")
    response = client.get(url_of(app, post))
    html = response.get_data(as_text=True)
    text = page_text(response)
    assert "Leave a Reply" in text
    assert 'action="/comments"' in html
    for name in ("comment_post_ID", "comment_parent", "comment", "author", "email", "url"):
        assert f'name="{name}"' in html
    assert "Email (required, address never made public)" in text
    assert "Name (required)" in text
    assert "Notify me of new comments via email." in text
    assert "Notify me of new posts via email." in text
    assert "Save my name, email, and website in this browser for the next time I comment." in text
    assert '<label for="comment">Comment</label>' in html
    assert "<script>" not in html and " onclick=" not in html
    assert "/static/js/comments.js" in html


def test_closed_post_shows_no_box(app, client, create_post):
    post = create_post("Closed one", comment_status="closed")
    text = page_text(client.get(url_of(app, post)))
    assert "Comments are closed." in text
    assert 'action="/comments"' not in text


def test_old_post_is_closed_when_the_setting_says_so(app, db, client, create_post):
    post = create_post("Old news", days_ago=30)
    fresh = create_post("Fresh news", days_ago=1)
    set_settings({"close_comments_for_old_posts": True, "close_comments_days_old": 14})
    db.session.commit()
    assert "Comments are closed." in page_text(client.get(url_of(app, post)))
    response = send(client, app, post, page=url_of(app, fresh), **GUEST)
    assert response.status_code == 403
    assert "Sorry, comments are closed for this item." in page_text(response)
    assert "A thoughtful reply." in page_text(response)  # the text is kept to copy
    assert comments(db) == []


# --- posting as a guest -------------------------------------------------------------------


def test_guest_comment_is_held_and_only_its_author_sees_it(app, db, client, create_post):
    post = create_post("Boats")
    response = send(client, app, post, "Lovely *boats*.", subscribe_comments="y", **GUEST)
    [comment] = comments(db)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{url_of(app, post)}#comment-{comment.id}")
    assert comment.status == CommentStatus.PENDING
    assert comment.moderation_reason == "held: first comment"
    assert (comment.author_name, comment.author_email) == ("Ana Ruiz", "ana@example.org")
    assert comment.author_url == "https://ana.example.org"
    assert comment.body_html == "<p>Lovely <em>boats</em>.</p>\n"
    assert comment.notify_comments is True and comment.notify_posts is False
    assert comment.ip == "127.0.0.1"
    assert comment.edit_key_hash
    assert db.session.get(Post, post.id).comment_count == 0

    mine = client.get(url_of(app, post))
    assert f'id="comment-{comment.id}"' in mine.get_data(as_text=True)
    assert "Your comment is awaiting moderation." in page_text(mine)
    assert "Lovely boats." in page_text(mine)

    stranger = app.test_client().get(url_of(app, post))
    assert f'id="comment-{comment.id}"' not in stranger.get_data(as_text=True)
    assert "awaiting moderation" not in page_text(stranger)


def test_previously_approved_guest_is_approved_and_seen_by_everyone(
    app, db, client, create_post, create_comment
):
    post = create_post("Boats")
    create_comment(post, "Earlier words.", name="Ana Ruiz", email="ana@example.org")
    send(client, app, post, "Second time here.", **GUEST)
    comment = comments(db)[-1]
    assert comment.status == CommentStatus.APPROVED
    assert comment.moderation_reason == "approved"
    assert db.session.get(Post, post.id).comment_count == 2
    html = app.test_client().get(url_of(app, post)).get_data(as_text=True)
    assert "Second time here." in html
    assert "2 responses to" in unescape(html)
    # The guest's website links their name, marked as user content.
    assert (
        '<a href="https://ana.example.org" class="url" rel="external nofollow ugc">Ana Ruiz</a>'
        in html
    )


def test_comment_links_are_nofollow_ugc(app, db, client, create_post, create_comment):
    post = create_post("Boats")
    create_comment(post, "Earlier.", name="Ana Ruiz", email="ana@example.org")
    send(client, app, post, "See [my boat](https://boats.example/one).", **GUEST)
    html = app.test_client().get(url_of(app, post)).get_data(as_text=True)
    assert 'href="https://boats.example/one"' in html
    assert re.search(
        r'<a href="https://boats.example/one" rel="nofollow ugc[^"]*">my boat</a>', html
    )


def test_script_in_a_comment_is_not_executed(app, db, client, create_post):
    post = create_post("Boats")
    send(client, app, post, "<script>alert(1)</script> hello", **GUEST)
    html = client.get(url_of(app, post)).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; hello" in html


TOO_LONG = "x" * (64 * 1024 + 1)


BAD_EMAIL = "Please enter a valid email address, like name@example.com."
BAD_URL = "Please enter a valid website address, like https://example.com."


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"comment": "   "}, "comment", "Please type your comment text."),
        (
            {"comment": TOO_LONG},
            "comment",
            "Your comment is too long: it can be at most 64 KB. Please shorten it.",
        ),
        ({"author": ""}, "author", "Please enter your name."),
        ({"email": ""}, "email", "Please enter your email address."),
        ({"email": "ana@"}, "email", BAD_EMAIL),
        ({"email": "not an email"}, "email", BAD_EMAIL),
        ({"url": "javascript:alert(1)"}, "url", BAD_URL),
        ({"url": "http://"}, "url", BAD_URL),
        ({"url": "ana dot com"}, "url", BAD_URL),
    ],
)
def test_bad_input_comes_back_with_a_message_and_everything_typed(
    app, db, client, create_post, fields, field, message
):
    post = create_post("Boats")
    data = {"comment": "Keep this text.", **GUEST, "subscribe_blog": "y", **fields}
    response = send(client, app, post, **data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(html, field) == message
    assert f'aria-describedby="{field}-error"' in html
    assert textarea(html) == data["comment"]
    for name in ("author", "email", "url"):
        assert input_value(html, name) == data[name]
    assert re.search(r'id="subscribe_blog" name="subscribe_blog" value="y" checked', html)
    assert comments(db) == []


def test_name_and_email_are_optional_when_the_site_says_so(app, db, client, create_post):
    post = create_post("Boats")
    set_settings({"require_name_email": False})
    db.session.commit()
    response = client.get(url_of(app, post))
    assert "Email (address never made public)" in page_text(response)
    send(client, app, post, "Anonymous words.", author="", email="", url="")
    [comment] = comments(db)
    assert comment.author_name == "" and comment.display_name == "Anonymous"


@pytest.mark.parametrize("status", [PostStatus.DRAFT, PostStatus.PRIVATE, PostStatus.TRASH])
def test_comment_on_a_post_readers_cannot_see_is_refused(app, db, client, create_post, status):
    hidden = create_post("Secret", status=status)
    visible = create_post("Open")
    response = send(client, app, hidden, "Sneaky.", page=url_of(app, visible), **GUEST)
    assert response.status_code == 404
    text = page_text(response)
    assert "That post could not be found, so your comment could not be posted." in text
    assert "Sneaky." in text
    assert comments(db) == []


def test_comment_on_a_missing_post_is_refused(app, db, client, create_post):
    post = create_post("Open")
    html = client.get(url_of(app, post)).get_data(as_text=True)
    for bad in ("999", "abc", "", "99999999999999999999", "\u00b2", "-1"):
        response = client.post(
            "/comments",
            data={"csrf_token": csrf_token(html), "comment_post_ID": bad, "comment": "Lost?"},
        )
        assert response.status_code == 404
        assert "That post could not be found" in page_text(response)
    assert comments(db) == []


def test_comment_on_a_closed_post_is_refused(app, db, client, create_post):
    closed = create_post("Closed", comment_status="closed")
    open_post = create_post("Open")
    response = send(client, app, closed, "Too late.", page=url_of(app, open_post), **GUEST)
    assert response.status_code == 403
    assert "Sorry, comments are closed for this item." in page_text(response)
    assert "Too late." in page_text(response)
    assert comments(db) == []


def test_comment_on_a_page_is_refused(app, db, client, create_post):
    from app.models import PostType

    about = create_post("About", post_type=PostType.PAGE)
    post = create_post("Open")
    response = send(client, app, about, "Hello page.", page=url_of(app, post), **GUEST)
    assert response.status_code == 404
    assert comments(db) == []


def test_oversized_request_body_gets_413(app, db, client, create_post):
    post = create_post("Boats")
    response = send(client, app, post, "y" * (300 * 1024), **GUEST)
    assert response.status_code == 413
    assert "too large" in page_text(response)
    assert comments(db) == []


def test_missing_csrf_token_keeps_the_text(app, db, client, create_post):
    post = create_post("Boats")
    client.get(url_of(app, post))
    response = client.post(
        "/comments",
        data={"comment_post_ID": str(post.id), "comment": "Typed before lunch.", **GUEST},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your session had expired, so nothing was posted. Please send it again." in page_text(
        response
    )
    assert textarea(html) == "Typed before lunch."
    assert input_value(html, "author") == "Ana Ruiz"
    assert comments(db) == []
    # The page carries a fresh token: sending again works.
    data = {"csrf_token": csrf_token(html), "comment_post_ID": str(post.id)}
    data.update({"comment": "Typed before lunch.", **GUEST})
    assert client.post("/comments", data=data).status_code == 303
    assert len(comments(db)) == 1


# --- threading ------------------------------------------------------------------------------


def test_reply_link_and_leave_a_reply_to(app, db, client, create_post, create_comment):
    post = create_post("Boats")
    mara = create_comment(post, "Glad they are back.", name="Mara")
    html = client.get(url_of(app, post)).get_data(as_text=True)
    assert f'href="{url_of(app, post)}?replytocom={mara.id}#respond"' in html
    for junk in ("x", "\u00b2", "99999999999999999999", "-3"):
        assert "Leave a Reply to" not in page_text(
            client.get(f"{url_of(app, post)}?replytocom={junk}")
        )
    response = client.get(f"{url_of(app, post)}?replytocom={mara.id}")
    html = response.get_data(as_text=True)
    assert "Leave a Reply to Mara" in page_text(response)
    assert re.search(r'id="cancel-comment-reply-link" href="[^"]+#respond">Cancel reply</a>', html)
    assert f'name="comment_parent" id="comment_parent" value="{mara.id}"' in html


def test_reply_is_stored_under_its_parent(app, db, client, create_post, create_comment):
    post = create_post("Boats")
    mara = create_comment(post, "Glad they are back.", name="Mara")
    create_comment(post, "Earlier.", name="Ana Ruiz", email="ana@example.org")
    page = f"{url_of(app, post)}?replytocom={mara.id}"
    send(client, app, post, "So am I.", page=page, comment_parent=str(mara.id), **GUEST)
    reply = comments(db)[-1]
    assert reply.parent_id == mara.id and reply.status == CommentStatus.APPROVED
    html = client.get(url_of(app, post)).get_data(as_text=True)
    # The reply sits in the parent's list of children.
    parent_li = html[html.index(f'id="comment-{mara.id}"') :]
    assert parent_li.index('<ol class="children">') < parent_li.index(f'id="comment-{reply.id}"')


@pytest.mark.parametrize("case", ["other post", "pending", "missing", "huge"])
def test_reply_to_a_comment_it_may_not_answer_is_refused(
    app, db, client, create_post, create_comment, case
):
    post = create_post("Boats")
    other = create_post("Other")
    if case == "other post":
        parent_id = create_comment(other, "Elsewhere.").id
    elif case == "pending":
        parent_id = create_comment(post, "Waiting.", status=CommentStatus.PENDING).id
    elif case == "huge":
        parent_id = 99999999999999999999
    else:
        parent_id = 4242
    before = len(comments(db))
    response = send(client, app, post, "My reply.", comment_parent=str(parent_id), **GUEST)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "You can only reply to a published comment on this post." in page_text(response)
    assert textarea(html) == "My reply."
    assert 'name="comment_parent" id="comment_parent" value="0"' in html
    assert len(comments(db)) == before


def test_depth_limit_hides_reply_link_and_refuses_replies(
    app, db, client, create_post, create_comment
):
    post = create_post("Boats")
    set_settings({"thread_comments_depth": 3})
    db.session.commit()
    first = create_comment(post, "Level one.", name="One")
    second = create_comment(post, "Level two.", name="Two", parent=first)
    third = create_comment(post, "Level three.", name="Three", parent=second)
    html = client.get(url_of(app, post)).get_data(as_text=True)
    assert f"replytocom={second.id}#respond" in html
    assert f"replytocom={third.id}#respond" not in html
    # ?replytocom past the limit is ignored rather than offered.
    assert "Leave a Reply to Three" not in page_text(
        client.get(f"{url_of(app, post)}?replytocom={third.id}")
    )
    response = send(client, app, post, "Too deep.", comment_parent=str(third.id), **GUEST)
    assert response.status_code == 400
    assert "Replies can nest only 3 levels deep here." in page_text(response)
    assert textarea(response.get_data(as_text=True)) == "Too deep."
    assert len(comments(db)) == 3


def test_threading_off_means_no_replies(app, db, client, create_post, create_comment):
    post = create_post("Boats")
    set_settings({"thread_comments": False})
    db.session.commit()
    first = create_comment(post, "Flat.", name="One")
    assert "replytocom" not in client.get(url_of(app, post)).get_data(as_text=True)
    response = send(client, app, post, "Reply.", comment_parent=str(first.id), **GUEST)
    assert response.status_code == 400


# --- remembered details ---------------------------------------------------------------


def test_details_are_remembered_only_with_consent(app, db, client, create_post, no_flood):
    post = create_post("Boats")
    response = send(client, app, post, "No consent.", **GUEST)
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("comment_author")]
    html = client.get(url_of(app, post)).get_data(as_text=True)
    assert input_value(html, "author") == ""

    response = send(
        client, app, post, "With consent.", **{**GUEST, "url": "ana.example.org"},
        **{"wp-comment-cookies-consent": "yes"},
    )  # fmt: skip
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert {"comment_author", "comment_author_email", "comment_author_url"} <= set(cookies)
    html = client.get(url_of(app, post)).get_data(as_text=True)
    assert input_value(html, "author") == "Ana Ruiz"
    assert input_value(html, "email") == "ana@example.org"
    assert input_value(html, "url") == "http://ana.example.org"
    assert 'name="wp-comment-cookies-consent" value="yes" checked' in html

    # Unticking the box forgets the details again.
    response = send(client, app, post, "Forget me.", **GUEST)
    forgotten = [
        c for c in response.headers.getlist("Set-Cookie") if c.startswith("comment_author=")
    ]
    assert forgotten and "Max-Age=0" in forgotten[0]
    html = client.get(url_of(app, post)).get_data(as_text=True)
    assert input_value(html, "author") == ""


# --- avatars ---------------------------------------------------------------------------


def test_guest_avatar_is_a_gravatar_url_of_the_email(app, client, create_post, create_comment):
    post = create_post("Boats")
    create_comment(post, "Hi.", name="Ana", email="  Ana@Example.org ")
    html = client.get(url_of(app, post)).get_data(as_text=True)
    digest = hashlib.sha256(b"ana@example.org").hexdigest()
    assert f"https://www.gravatar.com/avatar/{digest}?d=identicon&amp;s=56" in html


def test_local_avatars_make_no_third_party_requests(app, db, client, create_post, create_comment):
    post = create_post("Boats")
    create_comment(post, "Hi.", name="Ana Ruiz", email="ana@example.org")
    set_settings({"avatar_source": "local"})
    db.session.commit()
    html = client.get(url_of(app, post)).get_data(as_text=True)
    assert "gravatar.com" not in html
    src = re.search(r'<img class="avatar" src="(/comments/avatar/[0-9a-f]{16}/AR\.svg)"', html)
    assert src
    svg = client.get(src.group(1))
    assert svg.status_code == 200
    assert svg.headers["Content-Type"].startswith("image/svg+xml")
    assert ">AR</text>" in svg.get_data(as_text=True)
    assert client.get("/comments/avatar/zz/AR.svg").status_code == 404
    assert client.get("/comments/99999999999999999999/edit").status_code == 404
    assert client.get("/comments/avatar/0123456789abcdef/%3Cb%3E.svg").status_code == 404


# --- signed-in readers and staff -------------------------------------------------------


@pytest.fixture
def alice(db, create_user):
    """A commenter signed up through GitHub."""
    user = create_user("alice-gh", role=Role.SUBSCRIBER, password=None, display_name="Alice")
    identity = Identity(
        user=user,
        provider="github",
        subject="583231",
        name="Alice Liddell",
        email="alice@example.org",
        avatar_url="https://avatars.example/u/583231",
        profile_url="https://github.example/alice",
    )
    db.session.add(identity)
    db.session.commit()
    return identity


def sign_in(client, identity) -> None:
    """Put the identity in the browser's session, as the provider callback does."""
    with client.session_transaction() as session:
        session["commenter_identity_id"] = identity.id


def test_signed_in_reader_sees_their_account_and_comments_as_it(
    app, db, client, create_post, alice
):
    post = create_post("Boats")
    sign_in(client, alice)
    response = client.get(url_of(app, post))
    html = response.get_data(as_text=True)
    text = page_text(response)
    assert "You are commenting using your GitHub account." in text
    assert 'src="https://avatars.example/u/583231"' in html
    assert f'href="{url_of(app, post)}?change_login=1#respond">Change</a>' in html
    assert 'name="author"' not in html and 'name="email"' not in html
    send(client, app, post, "Signed words.")
    [comment] = comments(db)
    assert comment.identity_id == alice.id and comment.user_id == alice.user_id
    assert comment.author_name == "Alice Liddell"
    assert comment.author_email == "alice@example.org"
    assert comment.moderation_reason == "held: first comment"
    assert "Your comment is awaiting moderation." in page_text(client.get(url_of(app, post)))


def test_identity_with_an_approved_comment_is_approved(
    app, db, client, create_post, create_comment, alice
):
    post = create_post("Boats")
    create_comment(post, "Before.", name="Someone", identity=alice)
    sign_in(client, alice)
    send(client, app, post, "Again.")
    assert comments(db)[-1].moderation_reason == "approved"


def test_draft_is_restored_and_confirmed_after_sign_in(app, db, client, create_post, alice):
    post = create_post("Boats")
    draft = CommentDraft(key="k" * 40, post_id=post.id, body="Typed *before* signing in.")
    draft.notify_posts = True
    draft.provider = "github"
    db.session.add(draft)
    db.session.commit()
    with client.session_transaction() as session:
        session["comment_draft"] = draft.key
    # Not signed in (the sign-in failed): the draft is back in the form.
    html = client.get(url_of(app, post)).get_data(as_text=True)
    assert textarea(html) == "Typed *before* signing in."
    sign_in(client, alice)
    response = client.get(url_of(app, post))
    text = page_text(response)
    assert "Post as Alice Liddell via GitHub?" in text
    assert "<em>before</em>" in response.get_data(as_text=True)
    # Edit: the full form with the text in it.
    html = client.get(f"{url_of(app, post)}?edit_draft=1").get_data(as_text=True)
    assert textarea(html) == "Typed *before* signing in."
    assert "Post as Alice" not in unescape(html)
    # Post: published from the confirmation, and the draft is gone.
    html = client.get(url_of(app, post)).get_data(as_text=True)
    confirm = html[html.index('class="comment-confirm"') :]
    hidden = re.search(r"<textarea name=\"comment\" hidden>([^<]*)</textarea>", confirm).group(1)
    response = client.post(
        "/comments",
        data={
            "csrf_token": csrf_token(confirm),
            "comment_post_ID": str(post.id),
            "comment_parent": "0",
            "comment": unescape(hidden),
            "subscribe_blog": "y",
        },
    )
    assert response.status_code == 303
    [comment] = comments(db)
    assert comment.body_source == "Typed *before* signing in."
    assert comment.identity_id == alice.id and comment.notify_posts is True
    assert db.session.execute(select(func.count(CommentDraft.id))).scalar_one() == 0


def test_discard_deletes_the_draft(app, db, client, create_post, alice):
    post = create_post("Boats")
    db.session.add(CommentDraft(key="d" * 40, post_id=post.id, body="Never mind."))
    db.session.commit()
    with client.session_transaction() as session:
        session["comment_draft"] = "d" * 40
    sign_in(client, alice)
    html = client.get(url_of(app, post)).get_data(as_text=True)
    response = client.post(
        "/comments/draft/discard",
        data={"csrf_token": csrf_token(html), "comment_post_ID": str(post.id)},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{url_of(app, post)}#respond")
    assert db.session.execute(select(func.count(CommentDraft.id))).scalar_one() == 0
    page = client.get(url_of(app, post))
    assert "Your draft was discarded." in page_text(page)
    assert "Post as" not in page_text(page)


def test_staff_comment_as_their_user_and_are_approved(app, db, client, create_post, create_user):
    editor = create_user("eddie", role=Role.EDITOR, display_name="Eddie")
    post = create_post("Boats")
    with client.session_transaction() as session:
        session["_user_id"] = str(editor.id)
        session["_fresh"] = True
    assert "Logged in as Eddie." in page_text(client.get(url_of(app, post)))
    send(client, app, post, "From the desk.")
    [comment] = comments(db)
    assert comment.user_id == editor.id and comment.identity_id is None
    assert (comment.status, comment.moderation_reason) == (
        CommentStatus.APPROVED,
        "approved: staff",
    )


# --- editing and deleting one's own comment ---------------------------------------------


def test_author_edits_own_comment_within_the_window(app, db, client, create_post, create_comment):
    post = create_post("Boats")
    create_comment(post, "Earlier.", name="Ana Ruiz", email="ana@example.org")
    send(client, app, post, "Frist!", **GUEST)
    comment = comments(db)[-1]
    html = client.get(url_of(app, post)).get_data(as_text=True)
    assert f'href="/comments/{comment.id}/edit"' in html
    form = client.get(f"/comments/{comment.id}/edit").get_data(as_text=True)
    assert textarea(form) == "Frist!"
    bad = client.post(
        f"/comments/{comment.id}/edit", data={"csrf_token": csrf_token(form), "comment": ""}
    )
    assert bad.status_code == 400
    assert "Please type your comment text." in page_text(bad)
    response = client.post(
        f"/comments/{comment.id}/edit", data={"csrf_token": csrf_token(form), "comment": "First!"}
    )
    assert response.status_code == 303
    comment = comments(db)[-1]
    assert comment.body_source == "First!" and comment.body_html == "<p>First!</p>\n"
    assert "Your comment was updated." in page_text(client.get(url_of(app, post)))


def test_another_browser_cannot_edit_or_delete(app, db, client, create_post):
    post = create_post("Boats")
    send(client, app, post, "Mine.", **GUEST)
    [comment] = comments(db)
    other = app.test_client()
    html = other.get(url_of(app, post)).get_data(as_text=True)
    assert f"/comments/{comment.id}/edit" not in html
    response = other.get(f"/comments/{comment.id}/edit")
    assert response.status_code == 403
    assert "You can only change your own comments" in page_text(response)
    response = other.post(f"/comments/{comment.id}/delete", data={"csrf_token": csrf_token(html)})
    assert response.status_code == 403
    assert comments(db)[0].status == CommentStatus.PENDING


def test_edit_window_closes(app, db, client, create_post):
    post = create_post("Boats")
    send(client, app, post, "Mine.", **GUEST)
    [comment] = comments(db)
    comment.created_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    assert f"/comments/{comment.id}/edit" not in client.get(url_of(app, post)).get_data(
        as_text=True
    )
    response = client.get(f"/comments/{comment.id}/edit")
    assert response.status_code == 403
    assert "The time for changing this comment has passed" in page_text(response)
    assert "15 minutes" in page_text(response)


def test_author_deletes_own_comment(app, db, client, create_post, create_comment):
    post = create_post("Boats")
    create_comment(post, "Earlier.", name="Ana Ruiz", email="ana@example.org")
    send(client, app, post, "Oops, wrong post.", **GUEST)
    comment = comments(db)[-1]
    assert db.session.get(Post, post.id).comment_count == 2
    form = client.get(f"/comments/{comment.id}/edit").get_data(as_text=True)
    response = client.post(f"/comments/{comment.id}/delete", data={"csrf_token": csrf_token(form)})
    assert response.status_code == 303
    comment = comments(db)[-1]
    assert comment.status == CommentStatus.TRASH
    assert comment.moderation_reason == "deleted by its author"
    assert db.session.get(Post, post.id).comment_count == 1
    page = client.get(url_of(app, post))
    assert "Your comment was deleted." in page_text(page)
    assert "Oops, wrong post." not in page_text(page)


def test_signed_in_reader_edits_from_another_browser(app, db, client, create_post, alice):
    post = create_post("Boats")
    sign_in(client, alice)
    send(client, app, post, "From my laptop.")
    [comment] = comments(db)
    phone = app.test_client()
    sign_in(phone, alice)
    assert phone.get(f"/comments/{comment.id}/edit").status_code == 200


# --- query counts -----------------------------------------------------------------------


def test_post_page_queries_do_not_grow_with_comments(
    app, db, client, create_post, create_comment, count_queries
):
    small = create_post("Small")
    big = create_post("Big")
    for i in range(3):
        create_comment(small, f"Comment {i}", name=f"R{i}")
    parent = None
    for i in range(30):
        parent = create_comment(big, f"Comment {i}", name=f"R{i}", parent=parent if i % 3 else None)
    send(client, app, big, "Mine, pending.", **GUEST)  # the reader now has an own comment
    client.get(url_of(app, small))
    with count_queries() as few:
        assert client.get(url_of(app, small)).status_code == 200
    with count_queries() as many:
        response = client.get(url_of(app, big))
    assert response.status_code == 200
    assert "Your comment is awaiting moderation." in page_text(response)
    assert len(many) == len(few), many


def test_box_works_without_the_sign_in_side(app, db, client, create_post):
    post = create_post("Boats")
    for endpoint in ("auth.login", "auth.logout"):
        app.view_functions.pop(endpoint, None)
    response = client.get(url_of(app, post))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "provider-button" not in html
    assert "click an icon to log in" not in page_text(response)
    assert 'name="author"' in html
    assert send(client, app, post, "Still works.", **GUEST).status_code == 303


def test_signed_in_reader_gets_a_local_avatar_when_asked(app, db, client, create_post, alice):
    post = create_post("Boats")
    set_settings({"avatar_source": "local"})
    db.session.commit()
    sign_in(client, alice)
    html = client.get(url_of(app, post)).get_data(as_text=True)
    assert "avatars.example" not in html
    assert re.search(r'src="/comments/avatar/[0-9a-f]{16}/AL\.svg"', html)
