"""WordPress's Discussion rules applied to new comments, with the reason stored for moderators."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.comments.moderation import count_links
from app.models import CommentStatus, Post, Role
from app.models.base import utcnow
from app.settings import set_settings
from tests.test_comments import GUEST, comments, page_text, send, textarea, url_of


@pytest.fixture
def settings(db):
    """Set Discussion settings for one test (flood control off unless set)."""

    def _set(**values):
        set_settings({"comment_flood_seconds": 0, **values})
        db.session.commit()

    return _set


@pytest.fixture
def regular(create_comment):
    """Make Ana Ruiz a previously approved guest on a post."""

    def _make(post):
        return create_comment(
            post, "An old approved one.", name="Ana Ruiz", email="ana@example.org"
        )

    return _make


def test_count_links_like_wordpress():
    assert count_links("no links here") == 0
    assert count_links("see https://a.example and http://b.example") == 2
    assert count_links("[x](https://a.example) <https://b.example> //c.example") == 3


def test_every_comment_held_when_moderation_is_on(app, db, client, create_post, regular, settings):
    post = create_post("Boats")
    regular(post)
    settings(comment_moderation=True)
    send(client, app, post, "Held regardless.", **GUEST)
    comment = comments(db)[-1]
    assert comment.status == CommentStatus.PENDING
    assert comment.moderation_reason == "held: every comment is held for approval"
    assert db.session.get(Post, post.id).comment_count == 1


def test_too_many_links_are_held_with_the_count(app, db, client, create_post, regular, settings):
    post = create_post("Boats")
    regular(post)
    settings(comment_max_links=2)
    send(client, app, post, "Two: https://a.example https://b.example", **GUEST)
    assert comments(db)[-1].status == CommentStatus.APPROVED
    body = "Three: https://a.example https://b.example https://c.example"
    send(client, app, post, body, **GUEST)
    comment = comments(db)[-1]
    assert (comment.status, comment.moderation_reason) == (CommentStatus.PENDING, "held: 3 links")


def test_first_comment_is_held_then_the_author_is_trusted(app, db, client, create_post, settings):
    post = create_post("Boats")
    settings()
    send(client, app, post, "Hello, first time.", **GUEST)
    first = comments(db)[-1]
    assert first.moderation_reason == "held: first comment"
    # A moderator approves it; the next comment by the same name and email goes straight up.
    from app.comments.status import set_comment_status

    set_comment_status(first, CommentStatus.APPROVED, "approved by a moderator")
    db.session.commit()
    send(client, app, post, "Hello again.", **GUEST)
    assert comments(db)[-1].moderation_reason == "approved"
    # Same email under another name is somebody else, as in WordPress.
    send(client, app, post, "Who am I?", **{**GUEST, "author": "Not Ana"})
    assert comments(db)[-1].moderation_reason == "held: first comment"


def test_previously_approved_rule_can_be_switched_off(app, db, client, create_post, settings):
    post = create_post("Boats")
    settings(comment_previously_approved=False)
    send(client, app, post, "Straight through.", **GUEST)
    comment = comments(db)[-1]
    assert (comment.status, comment.moderation_reason) == (CommentStatus.APPROVED, "approved")
    assert "Straight through." in page_text(app.test_client().get(url_of(app, post)))


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"comment": "Buy cheap VIAGRA now"}, "viagra"),
        ({"author": "Ana from SEO Corp"}, "seo corp"),
        ({"email": "ana@spam.example"}, "spam.example"),
        ({"url": "https://shady.example/x"}, "shady.example"),
    ],
)
def test_moderation_keys_hold_the_comment(
    app, db, client, create_post, regular, settings, fields, key
):
    post = create_post("Boats")
    regular(post)
    settings(moderation_keys=f"\n  {key}  \nunrelated\n")
    send(client, app, post, **{"comment": "Plain words.", **GUEST, **fields})
    comment = comments(db)[-1]
    assert comment.status == CommentStatus.PENDING
    assert comment.moderation_reason == f"held: moderation key '{key}'"


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"comment": "Best CASINO bonus"}, "casino"),
        ({"author": "Casino King"}, "casino"),
        ({"email": "x@casino.example"}, "casino"),
        ({"url": "http://casino.example"}, "casino"),
        ({}, "127.0.0.1"),  # the commenter's IP address
    ],
)
def test_disallowed_keys_send_to_spam(app, db, client, create_post, regular, settings, fields, key):
    post = create_post("Boats")
    regular(post)
    settings(disallowed_keys=f"{key}\n", comment_moderation=True)
    send(client, app, post, **{"comment": "Plain words.", **GUEST, **fields})
    comment = comments(db)[-1]
    assert comment.status == CommentStatus.SPAM
    assert comment.moderation_reason == f"spam: disallowed key '{key}'"
    assert db.session.get(Post, post.id).comment_count == 1
    # Its author sees it as awaiting moderation (a spammer learns nothing); others see nothing.
    assert "Your comment is awaiting moderation." in page_text(client.get(url_of(app, post)))
    assert "Plain words." not in page_text(app.test_client().get(url_of(app, post)))


def test_duplicate_comment_is_refused_with_the_text_kept(app, db, client, create_post, settings):
    post = create_post("Boats")
    settings()
    send(client, app, post, "Same words.", **GUEST)
    response = send(client, app, post, "  Same words.  ", **GUEST)
    assert response.status_code == 409
    assert (
        "Duplicate comment detected; it looks as though you\u2019ve already said that!"
        in page_text(response)
    )
    assert textarea(response.get_data(as_text=True)) == "  Same words.  "
    assert len(comments(db)) == 1
    # Another author may say the same thing.
    other = {"author": "Tom", "email": "tom@example.org", "url": ""}
    assert send(client, app, post, "Same words.", **other).status_code == 303
    assert len(comments(db)) == 2


def test_flood_control_between_comments_from_one_reader(app, db, client, create_post, settings):
    post = create_post("Boats")
    settings(comment_flood_seconds=15)
    send(client, app, post, "First.", **GUEST)
    other = {"author": "Tom", "email": "tom@example.org", "url": ""}
    # Same IP address, even under another name.
    response = send(client, app, post, "Second, too soon.", **other)
    assert response.status_code == 429
    assert "You are posting comments too quickly. Slow down." in page_text(response)
    assert textarea(response.get_data(as_text=True)) == "Second, too soon."
    assert len(comments(db)) == 1
    # Once the interval has passed, it goes through.
    first = comments(db)[0]
    first.created_at = utcnow() - timedelta(seconds=16)
    db.session.commit()
    assert send(client, app, post, "Second, later.", **other).status_code == 303
    assert len(comments(db)) == 2


def test_flood_control_follows_the_identity_across_addresses(
    app, db, client, create_post, create_comment, settings, create_user
):
    from app.models import Identity
    from tests.test_comments import sign_in

    post = create_post("Boats")
    settings(comment_flood_seconds=60)
    user = create_user("bob-g", role=Role.SUBSCRIBER, password=None)
    bob = Identity(user=user, provider="google", subject="1138", name="Bob")
    db.session.add(bob)
    db.session.commit()
    create_comment(post, "From home.", identity=bob, minutes_ago=0, ip="198.51.100.7")
    sign_in(client, bob)
    response = send(client, app, post, "From the office.")
    assert response.status_code == 429
    assert len(comments(db)) == 1


def test_staff_skip_the_rules_but_not_duplicates(
    app, db, client, create_post, create_user, settings
):
    editor = create_user("eddie", role=Role.EDITOR)
    post = create_post("Boats")
    settings(comment_moderation=True, disallowed_keys="boats", comment_flood_seconds=60)
    with client.session_transaction() as session:
        session["_user_id"] = str(editor.id)
    send(client, app, post, "Boats are back.")
    send(client, app, post, "More boats.")  # no flood control for moderators
    assert [c.moderation_reason for c in comments(db)] == ["approved: staff", "approved: staff"]
    assert send(client, app, post, "More boats.").status_code == 409


def test_post_author_is_approved_on_their_own_post(
    app, db, client, create_post, create_user, settings
):
    writer = create_user("wendy", role=Role.CONTRIBUTOR)
    post = create_post("Boats", author=writer)
    settings(comment_moderation=True)
    with client.session_transaction() as session:
        session["_user_id"] = str(writer.id)
    send(client, app, post, "Thanks for reading.")
    assert comments(db)[-1].moderation_reason == "approved: staff"
    other = create_post("Not hers")
    send(client, app, other, "On someone else's post.")
    assert comments(db)[-1].status == CommentStatus.PENDING


def test_editing_an_approved_comment_into_spam_moves_it(
    app, db, client, create_post, regular, settings
):
    post = create_post("Boats")
    regular(post)
    settings(disallowed_keys="casino")
    send(client, app, post, "Innocent.", **GUEST)
    comment = comments(db)[-1]
    assert comment.status == CommentStatus.APPROVED
    from tests.conftest import csrf_token

    form = client.get(f"/comments/{comment.id}/edit").get_data(as_text=True)
    client.post(
        f"/comments/{comment.id}/edit",
        data={"csrf_token": csrf_token(form), "comment": "Visit my casino"},
    )
    comment = comments(db)[-1]
    assert comment.status == CommentStatus.SPAM
    assert comment.moderation_reason == "spam: disallowed key 'casino'"
    assert db.session.get(Post, post.id).comment_count == 1
