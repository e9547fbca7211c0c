"""Comments screen: the moderation queue with tabs, row and bulk actions, reply and edit."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.admin import bp, moderation
from app.admin.forms import CommentEditForm, ReplyForm
from app.admin.params import parse_id, parse_ids
from app.admin.permissions import requires
from app.auth.providers import get_provider
from app.extensions import db
from app.models import Comment, CommentStatus


def _comment(comment_id: int) -> Comment:
    comment = db.get_or_404(Comment, comment_id)
    return comment


@bp.route("/comments/")
@requires("comments.moderate")
def comments():
    """The queue: one tab per status, pending first."""
    status = request.args.get("comment_status", CommentStatus.PENDING)
    if status not in CommentStatus.ALL:
        status = CommentStatus.PENDING
    number = request.args.get("paged", "1")
    page = moderation.queue(status, parse_id(number) or 1)
    return render_template(
        "admin/comments.html",
        status=status,
        page=page,
        counts=moderation.comment_counts(),
        actions=moderation.TAB_ACTIONS[status],
        labels=moderation.ACTION_LABELS,
        provider_of=get_provider,
    )


@bp.route("/comments/moderate", methods=["POST"])
@requires("comments.moderate")
def moderate_comments():
    """A row button (do=action:id) or the bulk action on the checked comments."""
    status = request.form.get("comment_status", CommentStatus.PENDING)
    back = url_for("admin.comments", comment_status=status if status in CommentStatus.ALL else None)
    single = request.form.get("do", "")
    if single:
        action, _, raw_id = single.partition(":")
        ids = parse_ids([raw_id])
    else:
        action = request.form.get("bulk_action", "")
        ids = parse_ids(request.form.getlist("comment_ids"))
    if action not in moderation.ACTIONS:
        flash("Choose an action.", "error")
    elif not ids:
        flash("Select at least one comment.", "error")
    else:
        done = moderation.moderate_many(current_user, action, ids)
        label = moderation.ACTION_LABELS[action]
        flash(f"{label}: {done} comment{'s' if done != 1 else ''} changed.", "success")
    return redirect(back)


@bp.route("/comments/<int:comment_id>/reply", methods=["GET", "POST"])
@requires("comments.moderate")
def reply_comment(comment_id: int):
    """Reply to a comment as the logged-in staff member."""
    comment = _comment(comment_id)
    form = ReplyForm()
    if form.validate_on_submit():
        moderation.reply(current_user, comment, form.body.data)
        flash("Reply published.", "success")
        return redirect(url_for("admin.comments", comment_status=CommentStatus.APPROVED))
    status = 422 if form.errors else 200
    return render_template("admin/comment_reply.html", comment=comment, form=form), status


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@requires("comments.moderate")
def edit_comment(comment_id: int):
    """Edit a comment's text and author fields."""
    comment = _comment(comment_id)
    form = CommentEditForm(
        obj=comment if request.method == "GET" else None, body=comment.body_source
    )
    if form.validate_on_submit():
        moderation.edit(
            current_user,
            comment,
            form.author_name.data or "",
            form.author_email.data or "",
            form.author_url.data or "",
            form.body.data,
        )
        flash("Comment updated.", "success")
        return redirect(url_for("admin.comments", comment_status=comment.status))
    status = 422 if form.errors else 200
    return render_template("admin/comment_edit.html", comment=comment, form=form), status
