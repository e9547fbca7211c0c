"""Changing a comment's status, keeping the post's approved-comment count right."""

from __future__ import annotations

from sqlalchemy import update

from app.extensions import db
from app.models import Comment, CommentStatus, Post


def set_comment_status(comment: Comment, status: str, reason: str | None = None) -> None:
    """Move a comment to `status` (caller commits); Post.comment_count follows approvals."""
    if status not in CommentStatus.ALL:
        raise ValueError(f"unknown comment status {status!r}")
    was = comment.status == CommentStatus.APPROVED
    now = status == CommentStatus.APPROVED
    comment.status = status
    if reason is not None:
        comment.moderation_reason = reason
    if was != now:
        delta = 1 if now else -1
        db.session.execute(
            update(Post)
            .where(Post.id == comment.post_id)
            .values(comment_count=Post.comment_count + delta)
            .execution_options(synchronize_session=False)
        )
        if comment.post is not None:
            db.session.expire(comment.post, ["comment_count"])
