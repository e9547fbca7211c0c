"""Media library screens: list, upload, delete."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from app.admin import bp
from app.admin.forms import MediaDetailsForm, MediaUploadForm
from app.admin.media_store import (
    MediaError,
    delete_media,
    max_bytes,
    posts_using,
    srcset,
    store_upload,
)
from app.admin.params import parse_id
from app.admin.permissions import can, requires
from app.blog.services import Page
from app.extensions import db
from app.models import Media, log_activity

PER_PAGE = 40


@bp.route("/media/")
@requires("media.upload")
def media_library():
    """Every uploaded file, newest first."""
    number = request.args.get("paged", "1")
    total = db.session.execute(select(func.count(Media.id))).scalar_one()
    page = Page([], parse_id(number) or 1, PER_PAGE, total)
    page.number = max(1, min(page.number, page.pages))
    page.items = list(
        db.session.execute(
            select(Media)
            .order_by(Media.id.desc())
            .limit(PER_PAGE)
            .offset((page.number - 1) * PER_PAGE)
        ).scalars()
    )
    return render_template("admin/media.html", page=page, form=MediaUploadForm(), srcset=srcset)


@bp.route("/media/new", methods=["GET", "POST"])
@requires("media.upload")
def upload_media():
    """Upload one file (images are cleaned and resized)."""
    form = MediaUploadForm()
    if form.validate_on_submit():
        try:
            media = store_upload(
                current_user, request.files.get("file"), form.alt_text.data, form.caption.data
            )
            db.session.commit()
        except MediaError as exc:
            db.session.rollback()
            form.file.errors = [str(exc)]
        else:
            flash(f"Uploaded “{media.original_name}”.", "success")
            return redirect(url_for("admin.media_library"))
    status = 422 if form.errors else 200
    return render_template("admin/media_new.html", form=form, limit=max_bytes()), status


def _own_media(media_id: int) -> Media:
    """The file, if the user uploaded it or may change everyone's files."""
    media = db.session.get(Media, media_id)
    if media is None:
        abort(404)
    if media.uploader_id != current_user.id and not can(current_user, "media.delete_others"):
        abort(403)
    return media


@bp.route("/media/<int:media_id>", methods=["GET", "POST"])
@requires("media.upload")
def edit_media(media_id: int):
    """A file's details: alternative text and caption."""
    media = _own_media(media_id)
    form = MediaDetailsForm(obj=media)
    if form.validate_on_submit():
        media.alt_text = (form.alt_text.data or "").strip()
        media.caption = (form.caption.data or "").strip()
        log_activity(current_user.id, "media.update", media)
        db.session.commit()
        flash("Media details saved.", "success")
        return redirect(url_for("admin.media_library"))
    return render_template(
        "admin/media_edit.html", media=media, form=form, srcset=srcset, used_by=posts_using(media)
    ), (422 if form.errors else 200)


@bp.route("/media/<int:media_id>/delete", methods=["POST"])
@requires("media.upload")
def delete_media_item(media_id: int):
    """Delete a file, unless a post still uses it."""
    media = _own_media(media_id)
    try:
        delete_media(current_user, media)
    except MediaError as exc:
        flash(str(exc), "error")
    else:
        flash("File deleted.", "success")
    return redirect(url_for("admin.media_library"))
