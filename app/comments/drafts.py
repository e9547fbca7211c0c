"""Comment drafts kept server-side while the reader visits an identity provider.

The browser's signed session holds only a random key; the text itself (up to 64 KB, too
big for a cookie) is a CommentDraft row. Nothing a reader typed is lost on the way.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import session
from sqlalchemy import delete, select

from app.extensions import db
from app.models import CommentDraft
from app.models.base import utcnow

SESSION_KEY = "comment_draft"
KEEP_FOR = timedelta(days=7)


def stash_draft(
    *,
    post_id: int,
    body: str,
    parent_id: int | None = None,
    author_name: str = "",
    author_email: str = "",
    author_url: str = "",
    notify_comments: bool = False,
    notify_posts: bool = False,
    provider: str = "",
) -> CommentDraft:
    """Store what the reader typed and remember its key in this browser (caller commits)."""
    draft = current_draft()
    if draft is None:
        draft = CommentDraft(key=secrets.token_urlsafe(32))
        db.session.add(draft)
    draft.post_id = post_id
    draft.parent_id = parent_id
    draft.body = body
    draft.author_name = author_name
    draft.author_email = author_email
    draft.author_url = author_url
    draft.notify_comments = notify_comments
    draft.notify_posts = notify_posts
    draft.provider = provider
    draft.created_at = utcnow()
    session[SESSION_KEY] = draft.key
    return draft


def current_draft(post_id: int | None = None) -> CommentDraft | None:
    """This browser's draft (only if it belongs to post_id, when given)."""
    key = session.get(SESSION_KEY)
    if not isinstance(key, str):
        return None
    draft = db.session.execute(
        select(CommentDraft).where(CommentDraft.key == key)
    ).scalar_one_or_none()
    if draft is None:
        session.pop(SESSION_KEY, None)
        return None
    if post_id is not None and draft.post_id != post_id:
        return None
    return draft


def discard_draft() -> None:
    """Forget this browser's draft (caller commits)."""
    draft = current_draft()
    if draft is not None:
        db.session.delete(draft)
    session.pop(SESSION_KEY, None)


def sweep_drafts() -> int:
    """Delete drafts older than KEEP_FOR; returns how many (caller commits)."""
    result = db.session.execute(
        delete(CommentDraft).where(CommentDraft.created_at < utcnow() - KEEP_FOR)
    )
    return result.rowcount or 0
