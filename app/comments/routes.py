"""POST /comments, editing and deleting one's own comment, drafts, local avatars."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import (
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
)
from flask_wtf.csrf import CSRFError

from app.blog.urls import post_url
from app.comments import avatars, bp, ownership, services
from app.comments.drafts import current_draft, discard_draft
from app.comments.forms import (
    MAX_ID,
    CommentForm,
    ConfirmForm,
    EditCommentForm,
    normalize_url,
    parse_id,
)
from app.comments.services import CommentInput, CommentRefused
from app.extensions import db
from app.models import Post
from app.settings import get_setting
from app.templating import local_time

# A 64 KB comment, percent-encoded, plus the other fields; anything bigger is refused
# with 413 before the form is even parsed (the app-wide limit is for media uploads).
COMMENT_BODY_LIMIT = 256 * 1024
REMEMBER_FOR = timedelta(days=365)


def limit_comment_bodies() -> None:
    """Lower the request-size limit for the comment endpoints (runs before CSRF parsing)."""
    if request.blueprint == bp.name and request.method == "POST":
        request.max_content_length = COMMENT_BODY_LIMIT


def _show_post_again(
    post: Post,
    form: CommentForm,
    status: int = 400,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
):
    """The post page again, with the form as typed and the messages next to the fields."""
    from app.blog.routes import post as post_view

    g.comment_form = form
    g.comment_errors = errors or {}
    g.comment_notice = notice
    when = local_time(post.published_at)
    response = make_response(post_view(when.year, when.month, when.day, post.slug))
    response.status_code = status
    return response


def _refused(exc: CommentRefused, text: str, post: Post | None = None):
    """A page saying why nothing was posted, with the text kept for the reader to copy."""
    page = render_template("comments/refused.html", message=exc.message, text=text, post=post)
    return page, exc.status


def _remember_author(response, form: CommentForm) -> None:
    """Set WordPress's comment_author* cookies only when the consent box is ticked."""
    secure = bool(current_app.config.get("SESSION_COOKIE_SECURE"))
    for key, name in (
        ("author", "comment_author"),
        ("email", "comment_author_email"),
        ("url", "comment_author_url"),
    ):
        if form.remember.data:
            value = (getattr(form, key).data or "").strip()
            if key == "url":
                value = normalize_url(value)
            response.set_cookie(
                name,
                value,
                max_age=int(REMEMBER_FOR.total_seconds()),
                secure=secure,
                httponly=True,
                samesite="Lax",
            )
        elif name in request.cookies:
            response.delete_cookie(name, secure=secure, httponly=True, samesite="Lax")


@bp.route("/comments", methods=["POST"])
def post_comment():
    """Take a comment from the Leave a Reply form (WordPress's wp-comments-post.php)."""
    form = CommentForm()
    commenter = services.current_commenter()
    form.is_guest = commenter.kind == "guest"
    form.guest_fields_required = bool(get_setting("require_name_email"))
    try:
        post = services.commentable_post(form.post_id())
    except CommentRefused as exc:
        return _refused(exc, form.comment.data or "")
    valid = form.validate()
    errors: dict[str, str] = {}
    parent = None
    try:
        parent = services.reply_parent(post, form.comment_parent.data)
    except CommentRefused as exc:
        errors["comment_parent"] = exc.message
        form.comment_parent.data = "0"  # sending again posts it as a new comment
    if not valid or errors:
        return _show_post_again(post, form, errors=errors)
    data = CommentInput(
        body=form.comment.data or "",
        author_name=form.author.data or "",
        author_email=form.email.data or "",
        author_url=form.url.data or "",
        notify_comments=bool(form.subscribe_comments.data),
        notify_posts=bool(form.subscribe_blog.data),
    )
    try:
        comment = services.submit_comment(post, parent, data, commenter)
    except CommentRefused as exc:
        return _show_post_again(post, form, status=exc.status, notice=exc.message)
    if current_draft(post.id) is not None:
        discard_draft()
        db.session.commit()
    response = redirect(f"{post_url(post)}#comment-{comment.id}", 303)
    if commenter.kind == "guest":
        _remember_author(response, form)
    return response


@bp.errorhandler(CSRFError)
def csrf_failed(error: CSRFError):
    """An expired or missing token: show the form again with the text, never lose it."""
    if request.endpoint == "comments.post_comment":
        form = CommentForm()  # rendering gives it a fresh token
        post_id = form.post_id()
        try:
            post = services.commentable_post(post_id)
        except CommentRefused as exc:
            return _refused(exc, form.comment.data or "")
        notice = "Your session had expired, so nothing was posted. Please send it again."
        return _show_post_again(post, form, notice=notice)
    message = "This form had expired, so nothing was changed. Please go back and try again."
    return render_template("errors/error.html", code=400, message=message), 400


@bp.route("/comments/draft/discard", methods=["POST"])
def discard():
    """Discard this browser's kept draft and go back to the post's comment box."""
    form = ConfirmForm()
    post_id = parse_id(request.form.get("comment_post_ID"))
    post = db.session.get(Post, post_id) if post_id else None
    if form.validate():
        discard_draft()
        db.session.commit()
        flash("Your draft was discarded.", "info")
    if post is None:
        return redirect("/", 303)
    return redirect(f"{post_url(post)}#respond", 303)


@bp.route(f"/comments/<int(max={MAX_ID}):comment_id>/edit", methods=["GET", "POST"])
def edit_comment(comment_id: int):
    """Edit one's own comment while the edit window lasts."""
    try:
        comment = ownership.editable_comment(comment_id)
    except CommentRefused as exc:
        return _refused(exc, request.form.get("comment", ""))
    form = EditCommentForm(data={"comment": comment.body_source})
    if form.validate_on_submit():
        ownership.edit_comment(comment, form.comment.data or "")
        flash("Your comment was updated.", "success")
        return redirect(f"{post_url(comment.post)}#comment-{comment.id}", 303)
    status = 400 if request.method == "POST" else 200
    page = render_template(
        "comments/edit.html",
        form=form,
        comment=comment,
        delete_form=ConfirmForm(),
        minutes=ownership.edit_minutes(),
    )
    return page, status


@bp.route(f"/comments/<int(max={MAX_ID}):comment_id>/delete", methods=["POST"])
def delete_comment(comment_id: int):
    """Delete (trash) one's own comment while the edit window lasts."""
    try:
        comment = ownership.editable_comment(comment_id)
    except CommentRefused as exc:
        return _refused(exc, "")
    form = ConfirmForm()
    if not form.validate():
        abort(400)
    ownership.delete_comment(comment)
    flash("Your comment was deleted.", "success")
    return redirect(f"{post_url(comment.post)}#comments", 303)


_AVATAR_LETTERS = re.compile(r"^[^\W_]{1,2}$|^\?$")


@bp.route("/comments/avatar/<key>/<letters>.svg")
def avatar(key: str, letters: str):
    """A locally drawn avatar (avatar_source = "local"): no third-party request."""
    if not re.fullmatch(r"[0-9a-f]{16}", key) or not _AVATAR_LETTERS.match(letters):
        abort(404)
    response = make_response(avatars.local_avatar_svg(key, letters))
    response.headers["Content-Type"] = "image/svg+xml; charset=utf-8"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response
