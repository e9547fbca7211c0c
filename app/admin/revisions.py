"""Revisions of a post: list, side-by-side diff (difflib) and restore."""

from __future__ import annotations

import difflib

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.admin import bp
from app.admin.editor import add_revision
from app.admin.posts import editable_post
from app.content import render_post
from app.extensions import db
from app.models import Post, Revision, log_activity


def side_by_side(old: str, new: str, old_label: str, new_label: str) -> Markup:
    """An HTML table comparing two texts line by line (difflib escapes the text itself)."""
    table = difflib.HtmlDiff(wrapcolumn=70).make_table(
        (old or "").splitlines(), (new or "").splitlines(), old_label, new_label, context=False
    )
    return Markup(table)  # noqa: S704 - difflib escapes &, < and > in every line


def _revision(revision_id: int) -> tuple[Revision, Post]:
    revision = db.get_or_404(Revision, revision_id)
    return revision, editable_post(revision.post_id)


@bp.route("/posts/<int:post_id>/revisions")
def revisions(post_id: int):
    """Every stored revision of a post, newest first."""
    post = editable_post(post_id)
    items = db.session.execute(
        select(Revision)
        .options(joinedload(Revision.author))
        .where(Revision.post_id == post.id)
        .order_by(Revision.id.desc())
    ).scalars()
    return render_template("admin/revisions.html", post=post, revisions=list(items))


@bp.route("/revisions/<int:revision_id>")
def revision(revision_id: int):
    """One revision compared with the post as it is now."""
    rev, post = _revision(revision_id)
    title_diff = side_by_side(rev.title, post.title, "This revision", "Current")
    body_diff = side_by_side(rev.source, post.source, "This revision", "Current")
    return render_template(
        "admin/revision.html", post=post, revision=rev, title_diff=title_diff, body_diff=body_diff
    )


@bp.route("/revisions/<int:revision_id>/restore", methods=["POST"])
def restore_revision(revision_id: int):
    """Put a revision's text back into the post (the current text stays as a revision)."""
    rev, post = _revision(revision_id)
    post.title, post.source, post.excerpt = rev.title, rev.source, rev.excerpt
    post.content_html = render_post(rev.source)
    db.session.flush()
    add_revision(post, current_user)
    log_activity(current_user.id, "post.restore_revision", post, f"revision {rev.id}")
    db.session.commit()
    flash(f"Restored the revision of {rev.created_at:%Y-%m-%d %H:%M}.", "success")
    return redirect(url_for("admin.edit_post", post_id=post.id))
