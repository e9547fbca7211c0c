"""Screens that list things make the same number of queries for few rows as for many."""

from __future__ import annotations

import pytest
from test_admin_support import (
    login,
)

from app.models import CommentStatus, Media, Revision, Role, Taxonomy


def _add_rows(db, create_user, create_post, create_comment, create_term, n: int, tag: str):
    """n of everything: users, posts with terms, comments, media, revisions."""
    for i in range(n):
        author = create_user(f"{tag}-user-{i}", role=Role.AUTHOR, password=None)
        term = create_term(f"{tag} term {i}", taxonomy=Taxonomy.CATEGORY)
        post = create_post(f"{tag} post {i}", author=author, terms=[term])
        create_comment(post, f"{tag} comment {i}", status=CommentStatus.PENDING)
        db.session.add(
            Media(
                filename=f"{tag}-{i}.png",
                mime_type="image/png",
                width=10,
                height=10,
                uploader_id=author.id,
                sizes={},
            )
        )
        db.session.add(Revision(post_id=post.id, author_id=author.id, title="t", source="s"))
    db.session.commit()
    return post


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/posts/",
        "/admin/comments/",
        "/admin/media/",
        "/admin/users/",
        "/admin/terms/category/",
        "/admin/posts/{post}/revisions",
    ],
)
def test_list_screens_make_a_fixed_number_of_queries(
    client, db, create_user, create_post, create_comment, create_term, count_queries, url
):
    create_user("alice")
    assert login(client, "alice").status_code == 302
    rows = (db, create_user, create_post, create_comment, create_term)
    post = _add_rows(*rows, 1, "few")
    with count_queries() as few:
        assert client.get(url.format(post=post.id)).status_code == 200
    _add_rows(*rows, 12, "many")
    for i in range(12):  # and the listed post gets more revisions
        db.session.add(Revision(post_id=post.id, author_id=post.author_id, title=f"r{i}"))
    db.session.commit()
    with count_queries() as many:
        assert client.get(url.format(post=post.id)).status_code == 200
    assert len(many) == len(few), url
