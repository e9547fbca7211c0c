"""Comment moderation: tabs and counts, comments in context, row and bulk actions, reply, edit."""

from __future__ import annotations

from conftest import csrf_token
from sqlalchemy import select
from test_admin_support import login

from app.models import Activity, Comment, CommentStatus, Identity, Post, Role, User


def _moderator(client, create_user, role=Role.EDITOR):
    create_user("ed", role=role)
    assert login(client, "ed").status_code == 302


def _post_count(db, post_id) -> int:
    db.session.expire_all()
    return db.session.get(Post, post_id).comment_count


def test_queue_shows_each_comment_in_context(client, create_user, create_post, create_comment, db):
    _moderator(client, create_user)
    post = create_post("Hello world")
    parent = create_comment(post, "The first thoughtful remark", name="Ann")
    reader = User(username="gh-reader", role=Role.SUBSCRIBER)
    identity = Identity(
        user=reader, provider="github", subject="42", name="Octo Cat", email="octo@example.org"
    )
    db.session.add_all([reader, identity])
    db.session.commit()
    create_comment(
        post,
        "Held for links",
        parent=parent,
        status=CommentStatus.PENDING,
        name="",
        email="",
        identity=identity,
        ip="203.0.113.9",
        moderation_reason="contains 3 links",
    )
    html = client.get("/admin/comments/").get_data(as_text=True)
    assert 'aria-current="page">Pending <span class="count">(1)</span>' in html
    assert 'Approved <span class="count">(1)</span>' in html
    row = html.split('id="comment-row-')[1]
    assert "Octo Cat" in row and "via GitHub" in row and "img/providers/github.svg" in row
    assert "octo@example.org" in row
    assert "IP 203.0.113.9" in row and "Reason: contains 3 links" in row
    assert "In reply to Ann: <q>The first thoughtful remark</q>" in row
    assert "Hello world</a>" in row
    for label in ("Approve", "Spam", "Trash", "Reply", "Edit"):
        assert f'>{label}<span class="visually-hidden">' in row
    assert '<label for="ccb-' in row


def test_approve_shows_the_comment_under_the_post(
    client, create_user, create_post, create_comment, db
):
    _moderator(client, create_user)
    post = create_post("Hello world")
    comment = create_comment(post, "Please approve me", status=CommentStatus.PENDING)
    url = f"/{post.published_at:%Y/%m/%d}/hello-world/"
    assert "Please approve me" not in client.get(url).get_data(as_text=True)
    page = client.get("/admin/comments/").get_data(as_text=True)
    response = client.post(
        "/admin/comments/moderate",
        data={
            "csrf_token": csrf_token(page),
            "do": f"approve:{comment.id}",
            "comment_status": "pending",
        },
    )
    assert "Approve: 1 comment changed." in client.get(response.headers["Location"]).text
    assert _post_count(db, post.id) == 1
    assert "Please approve me" in client.get(url).get_data(as_text=True)
    assert db.session.execute(
        select(Activity.action).where(
            Activity.object_type == "comments", Activity.object_id == comment.id
        )
    ).scalars().all() == ["comment.approve"]


def test_every_action_moves_the_comment_and_keeps_the_count(
    client, create_user, create_post, create_comment, db
):
    _moderator(client, create_user)
    post = create_post()
    comment = create_comment(post, "Round trip", status=CommentStatus.APPROVED)
    comment_id = comment.id
    token = csrf_token(client.get("/admin/comments/").get_data(as_text=True))
    steps = [
        ("unapprove", CommentStatus.PENDING, 0),
        ("approve", CommentStatus.APPROVED, 1),
        ("spam", CommentStatus.SPAM, 0),
        ("notspam", CommentStatus.PENDING, 0),
        ("trash", CommentStatus.TRASH, 0),
        ("restore", CommentStatus.PENDING, 0),
        ("approve", CommentStatus.APPROVED, 1),
        ("trash", CommentStatus.TRASH, 0),
    ]
    for action, status, count in steps:
        client.post(
            "/admin/comments/moderate", data={"csrf_token": token, "do": f"{action}:{comment.id}"}
        )
        db.session.expire_all()
        assert (db.session.get(Comment, comment.id).status, _post_count(db, post.id)) == (
            status,
            count,
        ), action
    tab = client.get("/admin/comments/?comment_status=trash").get_data(as_text=True)
    assert "Round trip" in tab and "Delete Permanently" in tab
    client.post(
        "/admin/comments/moderate", data={"csrf_token": token, "do": f"delete:{comment_id}"}
    )
    db.session.expire_all()
    assert db.session.execute(select(Comment).where(Comment.id == comment_id)).first() is None


def test_bulk_actions(client, create_user, create_post, create_comment, db):
    _moderator(client, create_user)
    post = create_post()
    ids = [create_comment(post, f"c{i}", status=CommentStatus.PENDING).id for i in range(3)]
    token = csrf_token(client.get("/admin/comments/").get_data(as_text=True))
    response = client.post(
        "/admin/comments/moderate",
        data={"csrf_token": token, "bulk_action": "approve", "comment_ids": ids[:2]},
    )
    assert "Approve: 2 comments changed." in client.get(response.headers["Location"]).text
    assert _post_count(db, post.id) == 2
    client.post(
        "/admin/comments/moderate",
        data={"csrf_token": token, "bulk_action": "spam", "comment_ids": ids},
    )
    assert _post_count(db, post.id) == 0
    html = client.get("/admin/comments/?comment_status=spam").get_data(as_text=True)
    assert 'Spam <span class="count">(3)</span>' in html
    response = client.post(
        "/admin/comments/moderate", data={"csrf_token": token, "bulk_action": ""}
    )
    assert "Choose an action." in client.get(response.headers["Location"]).text


def test_reply_from_admin_is_approved_and_approves_the_parent(
    client, create_user, create_post, create_comment, db
):
    _moderator(client, create_user)
    post = create_post("Hello world")
    parent = create_comment(post, "A question?", status=CommentStatus.PENDING)
    page = client.get(f"/admin/comments/{parent.id}/reply").get_data(as_text=True)
    assert "Replying approves this comment too." in page
    empty = client.post(
        f"/admin/comments/{parent.id}/reply", data={"csrf_token": csrf_token(page), "body": ""}
    )
    assert "This field is required." in empty.get_data(as_text=True)
    client.post(
        f"/admin/comments/{parent.id}/reply",
        data={"csrf_token": csrf_token(page), "body": "An *answer*."},
    )
    reply = db.session.execute(select(Comment).where(Comment.parent_id == parent.id)).scalar_one()
    assert reply.status == CommentStatus.APPROVED and reply.user.username == "ed"
    assert reply.body_html == "<p>An <em>answer</em>.</p>\n"
    assert _post_count(db, post.id) == 2
    site = client.get(f"/{post.published_at:%Y/%m/%d}/hello-world/").get_data(as_text=True)
    assert "A question?" in site and "An <em>answer</em>." in site


def test_edit_comment_keeps_text_on_error(client, create_user, create_post, create_comment, db):
    _moderator(client, create_user)
    comment = create_comment(create_post(), "Tpyo here")
    page = client.get(f"/admin/comments/{comment.id}/edit").get_data(as_text=True)
    assert "Tpyo here" in page and 'value="Reader"' in page
    bad = client.post(
        f"/admin/comments/{comment.id}/edit",
        data={
            "csrf_token": csrf_token(page),
            "author_name": "Reader",
            "author_email": "not-an-email",
            "body": "Typo fixed",
        },
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Invalid email address." in html and "Typo fixed" in html
    client.post(
        f"/admin/comments/{comment.id}/edit",
        data={
            "csrf_token": csrf_token(page),
            "author_name": "Reader",
            "author_email": "r@example.org",
            "body": "Typo **fixed**",
        },
    )
    db.session.expire_all()
    edited = db.session.get(Comment, comment.id)
    assert edited.body_html == "<p>Typo <strong>fixed</strong></p>\n"


def test_dashboard_shows_what_awaits_moderation(client, create_user, create_post, create_comment):
    _moderator(client, create_user)
    post = create_post()
    for i in range(3):
        create_comment(post, f"wait {i}", status=CommentStatus.PENDING)
    html = client.get("/admin/").get_data(as_text=True)
    assert "3 comments awaiting moderation" in html
    assert "1 Published post" in html


def test_queue_query_count_does_not_grow(
    client, create_user, create_post, create_comment, count_queries
):
    _moderator(client, create_user)
    post = create_post()
    create_comment(post, "one", status=CommentStatus.PENDING)
    with count_queries() as few:
        client.get("/admin/comments/")
    parent = create_comment(post, "parent")
    for i in range(12):
        create_comment(
            create_post(f"p{i}"),
            f"more {i}",
            status=CommentStatus.PENDING,
            parent=parent if i % 2 else None,
        )
    with count_queries() as many:
        client.get("/admin/comments/")
    assert len(many) == len(few)


def test_authors_cannot_moderate(client, create_user, create_post, create_comment, db):
    _moderator(client, create_user, role=Role.AUTHOR)
    comment = create_comment(create_post(), "x", status=CommentStatus.PENDING)
    token = csrf_token(client.get("/admin/").get_data(as_text=True))
    response = client.post(
        "/admin/comments/moderate", data={"csrf_token": token, "do": f"approve:{comment.id}"}
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).status == CommentStatus.PENDING
