"""The dashboard at /admin/: counts at a glance, what awaits moderation, recent drafts."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from app.admin import bp, moderation, post_list
from app.extensions import db
from app.models import Post, PostStatus, PostType


@bp.route("/")
def dashboard():
    """At a glance: posts, pages, comments by status; my recent drafts."""
    drafts = db.session.execute(
        select(Post)
        .where(Post.author_id == current_user.id, Post.status == PostStatus.DRAFT)
        .order_by(Post.updated_at.desc())
        .limit(5)
    ).scalars()
    return render_template(
        "admin/dashboard.html",
        posts=post_list.status_counts(PostType.POST),
        pages=post_list.status_counts(PostType.PAGE),
        comments=moderation.comment_counts(),
        drafts=list(drafts),
    )
