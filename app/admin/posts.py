"""Posts and Pages screens and the editor (preview, autosave, conflicts)."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.admin import bp, editor, post_list
from app.admin.forms import STATUS_LABELS, PostForm
from app.admin.media_store import MediaError, store_upload
from app.admin.params import parse_id, parse_ids
from app.admin.permissions import can, can_edit_post, requires
from app.content import render_post
from app.extensions import db
from app.models import Media, Post, PostStatus, PostType, Role, Taxonomy, Term, User
from app.settings import get_setting

TYPE_PERMISSION = {PostType.POST: "posts.write", PostType.PAGE: "pages.manage"}


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return parse_id(value)


def _list(post_type: str):
    if not can(current_user, TYPE_PERMISSION[post_type]):
        abort(403)
    filters = post_list.PostFilters(
        status=request.args.get("post_status", ""),
        category=_int_arg("cat"),
        author=_int_arg("author"),
        month=request.args.get("m", ""),
        text=request.args.get("s", "")[:200],
    )
    page = post_list.list_posts(post_type, filters, _int_arg("paged") or 1)
    categories = db.session.execute(
        select(Term).where(Term.taxonomy == Taxonomy.CATEGORY).order_by(Term.name)
    ).scalars()
    return render_template(
        "admin/posts.html",
        post_type=post_type,
        page=page,
        filters=filters,
        counts=post_list.status_counts(post_type),
        months=post_list.months_available(post_type),
        authors=post_list.authors(),
        categories=list(categories),
        labels=STATUS_LABELS,
        bulk_actions=post_list.BULK_ACTIONS,
        can_edit=lambda p: can_edit_post(current_user, p),
    )


@bp.route("/posts/")
def posts():
    """All posts, with filters and bulk actions."""
    return _list(PostType.POST)


@bp.route("/pages/")
def pages():
    """All pages."""
    return _list(PostType.PAGE)


@bp.route("/posts/bulk", methods=["POST"])
@requires("posts.write")
def bulk_posts():
    """Apply a bulk action to the checked posts or pages."""
    single = request.form.get("do", "")
    if single:  # a row's own button, as "trash:12"
        action, _, raw_id = single.partition(":")
        ids = parse_ids([raw_id])
    else:
        action = request.form.get("bulk_action", "")
        ids = parse_ids(request.form.getlist("post_ids"))
    back = request.form.get("back", "") or url_for("admin.posts")
    if not back.startswith("/admin/"):
        back = url_for("admin.posts")
    if action not in post_list.BULK_ACTIONS:
        flash("Choose a bulk action.", "error")
    elif not ids:
        flash("Select at least one item.", "error")
    else:
        done, refused = post_list.bulk_action(current_user, action, ids)
        label = post_list.BULK_ACTIONS[action]
        flash(f"{label}: {done} item{'s' if done != 1 else ''} done.", "success")
        if refused:
            flash(f"{refused} item(s) skipped: not allowed or not applicable.", "error")
    return redirect(back)


def _build_form(post: Post | None, post_type: str, formdata=None, csrf: bool = True) -> PostForm:
    kwargs = {} if csrf else {"meta": {"csrf": False}}
    if formdata is not None:
        form = PostForm(formdata=formdata, **kwargs)
    elif request.method == "POST":
        form = PostForm(**kwargs)  # request.form and request.files
    elif post is not None:
        form = PostForm(formdata=None, obj=post, **kwargs)
        form.body.data = post.source
        form.published_at.data = editor.format_local_datetime(post.published_at)
        form.categories.data = [t.id for t in post.categories]
        form.tags.data = ", ".join(t.name for t in post.tags)
        form.featured_media_id.data = post.featured_media_id or 0
        form.comments_open.data = post.comments_open
        form.parent_id.data = post.parent_id or 0
        form.author_id.data = post.author_id or 0
        form.version.data = str(post.version)
    else:
        form = PostForm(**kwargs)
        form.comments_open.data = get_setting("default_comment_status") == "open"
        form.status.data = PostStatus.DRAFT
    if can(current_user, "posts.edit_others"):
        staff = db.session.execute(
            select(User.id, User.username).where(User.role.in_(Role.STAFF)).order_by(User.username)
        ).all()
        form.author_id.choices = [(uid, name) for uid, name in staff]
        if not form.author_id.data:
            form.author_id.data = current_user.id
    statuses = editor.allowed_statuses(current_user)
    if post is not None and post.status not in statuses:
        statuses = [post.status, *statuses]
    form.status.choices = [(s, STATUS_LABELS[s]) for s in statuses]
    form.categories.choices = [
        (t.id, t.name)
        for t in db.session.execute(
            select(Term).where(Term.taxonomy == Taxonomy.CATEGORY).order_by(Term.name)
        ).scalars()
    ]
    images = db.session.execute(
        select(Media).where(Media.mime_type.like("image/%")).order_by(Media.id.desc())
    ).scalars()
    form.featured_media_id.choices = [(0, "— None —")] + [
        (m.id, m.original_name or m.filename) for m in images
    ]
    parents = db.session.execute(
        select(Post.id, Post.title)
        .where(Post.type == PostType.PAGE, Post.status != PostStatus.TRASH)
        .order_by(Post.title)
    ).all()
    form.parent_id.choices = [(0, "(no parent)")] + [
        (pid, title or "(no title)") for pid, title in parents if post is None or pid != post.id
    ]
    return form


def _input_from(form: PostForm, when) -> editor.PostInput:
    version = form.version.data
    return editor.PostInput(
        title=form.title.data or "",
        slug=form.slug.data or "",
        body=form.body.data or "",
        excerpt=form.excerpt.data or "",
        status=form.status.data,
        published_at=when,
        category_ids=list(form.categories.data or []),
        new_category=form.new_category.data or "",
        tags=editor.split_tags(form.tags.data or ""),
        featured_media_id=form.featured_media_id.data or None,
        featured_caption=form.featured_caption.data or "",
        featured_alt=form.featured_alt.data or "",
        comments_open=bool(form.comments_open.data),
        sticky=bool(form.sticky.data),
        parent_id=form.parent_id.data or None,
        menu_order=form.menu_order.data or 0,
        version=parse_id(str(version or "")),
        author_id=form.author_id.data or None,
    )


def _render(form, post, post_type, status=200, **extra):
    return render_template(
        "admin/edit.html",
        form=form,
        post=post,
        post_type=post_type,
        labels=STATUS_LABELS,
        **extra,
    ), status


def _apply_action(form: PostForm, action: str) -> None:
    """The Publish / Submit for Review buttons set the status the select would."""
    if action == "publish" and can(current_user, "posts.publish"):
        form.status.data = PostStatus.PUBLISHED
    elif action == "submit":
        form.status.data = PostStatus.PENDING
    elif action == "draft":
        form.status.data = PostStatus.DRAFT


def handle_editor(post: Post | None, post_type: str, formdata=None, csrf: bool = True):
    """GET shows the editor; POST previews or saves, keeping every typed character on error."""
    form = _build_form(post, post_type, formdata, csrf)
    data = formdata if formdata is not None else request.form
    if formdata is None and request.method == "GET":
        return _render(form, post, post_type)
    action = data.get("action", "save")
    _apply_action(form, action)
    if action == "preview":
        return _render(form, post, post_type, preview_html=render_post(form.body.data or ""))
    if not form.validate():
        return _render(form, post, post_type, 422)
    try:
        when = editor.parse_local_datetime(form.published_at.data)
        editor.resolve_status(form.status.data, when, editor.utcnow())
    except editor.InvalidDate as exc:
        form.published_at.errors = [*form.published_at.errors, str(exc)]
        return _render(form, post, post_type, 422)
    data_in = _input_from(form, when)
    upload = request.files.get("featured_upload") if formdata is None else None
    if upload is not None and upload.filename:
        if not can(current_user, "media.upload"):
            abort(403)
        try:
            media = store_upload(current_user, upload, form.featured_alt.data or "")
        except MediaError as exc:
            db.session.rollback()
            form.featured_upload.errors = [str(exc)]
            return _render(form, post, post_type, 422)
        # The upload is kept in the library whatever happens to the post's save next
        # (a conflict shows it chosen in the form, so it is not lost either).
        db.session.commit()
        data_in.featured_media_id = media.id
        form.featured_media_id.choices.append((media.id, media.original_name))
        form.featured_media_id.data = media.id
    try:
        saved = editor.save_post(current_user, post, data_in, post_type)
    except editor.EditConflict as exc:
        form.version.data = str(exc.post.version)
        return _render(form, exc.post, post_type, 409, conflict=exc.post)
    flash(_saved_message(saved), "success")
    return redirect(url_for("admin.edit_post", post_id=saved.id))


def _saved_message(post: Post) -> str:
    noun = "Page" if post.type == PostType.PAGE else "Post"
    return {
        PostStatus.PUBLISHED: f"{noun} published.",
        PostStatus.SCHEDULED: f"{noun} scheduled.",
        PostStatus.PENDING: f"{noun} submitted for review.",
        PostStatus.PRIVATE: f"{noun} saved as private.",
    }.get(post.status, f"{noun} draft saved.")


@bp.route("/posts/new", methods=["GET", "POST"])
@requires("posts.write")
def new_post():
    """Add New Post."""
    return handle_editor(None, PostType.POST)


@bp.route("/pages/new", methods=["GET", "POST"])
@requires("pages.manage")
def new_page():
    """Add New Page."""
    return handle_editor(None, PostType.PAGE)


def editable_post(post_id: int) -> Post:
    """The post, or 404 / 403."""
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404)
    if not can_edit_post(current_user, post):
        abort(403)
    return post


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
def edit_post(post_id: int):
    """Edit a post or page."""
    post = editable_post(post_id)
    return handle_editor(post, post.type)


def save_carried_form(endpoint: str, args: dict, fields: MultiDict):
    """Save an editor form that was posted while logged out (after logging in again)."""
    if endpoint == "admin.edit_post":
        post = editable_post(args["post_id"])
        post_type = post.type
    else:
        post = None
        post_type = PostType.PAGE if endpoint == "admin.new_page" else PostType.POST
        if not can(current_user, TYPE_PERMISSION[post_type]):
            abort(403)
    return handle_editor(post, post_type, formdata=fields, csrf=False)


@bp.route("/preview", methods=["POST"])
@requires("posts.write")
def preview():
    """Markdown -> HTML with the site's renderer, for the live preview pane (JSON)."""
    return jsonify(html=render_post(request.form.get("body", "")[:2_000_000]))


@bp.route("/posts/autosave", methods=["POST"])
@bp.route("/posts/<int:post_id>/autosave", methods=["POST"])
@requires("posts.write")
def autosave(post_id: int | None = None):
    """Periodic save from the editor's script; answers the post's id and new version."""
    post = editable_post(post_id) if post_id else None
    post_type = request.form.get("post_type", PostType.POST)
    if post is None and (
        post_type not in TYPE_PERMISSION or not can(current_user, TYPE_PERMISSION[post_type])
    ):
        abort(403)
    version = request.form.get("version", "")
    try:
        saved = editor.autosave(
            current_user,
            post,
            request.form.get("title", "")[:500],
            request.form.get("body", "")[:2_000_000],
            request.form.get("excerpt", "")[:10_000],
            parse_id(version),
            post.type if post else post_type,
        )
    except editor.EditConflict as exc:
        return jsonify(
            error="Someone else changed this post. Save to see both texts.",
            version=exc.post.version,
        ), 409
    return jsonify(
        id=saved.id,
        version=saved.version,
        edit_url=url_for("admin.edit_post", post_id=saved.id),
        autosave_url=url_for("admin.autosave", post_id=saved.id),
        saved_at=editor.format_local_datetime(editor.utcnow()).replace("T", " "),
    )
