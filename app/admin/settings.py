"""Settings screens: General, Reading, Discussion (with the identity providers' order)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.admin import bp
from app.admin.forms import DiscussionSettingsForm, GeneralSettingsForm, ReadingSettingsForm
from app.admin.permissions import requires
from app.extensions import db
from app.models import Post, PostStatus, PostType, log_activity
from app.settings import set_settings, site_settings

GENERAL_KEYS = (
    "blogname",
    "blogdescription",
    "site_url",
    "timezone",
    "date_format",
    "time_format",
    "posts_per_page",
)
DISCUSSION_KEYS = (
    "require_name_email",
    "close_comments_for_old_posts",
    "close_comments_days_old",
    "thread_comments",
    "thread_comments_depth",
    "comment_moderation",
    "comment_previously_approved",
    "comment_max_links",
    "moderation_keys",
    "disallowed_keys",
    "comment_flood_seconds",
    "comment_edit_minutes",
    "avatar_source",
)


def registry_names() -> list[str]:
    """Names of the identity providers the app knows."""
    from app.auth.providers import REGISTRY

    return list(REGISTRY)


def _save(section: str, values: dict) -> None:
    set_settings(values)
    log_activity(current_user.id, "settings.update", None, section)
    db.session.commit()
    flash("Settings saved.", "success")


@bp.route("/settings/general", methods=["GET", "POST"])
@requires("settings.manage")
def settings_general():
    """Site title, tagline, address, time zone, date format, posts per page."""
    current = site_settings()
    form = GeneralSettingsForm(data={k: current[k] for k in GENERAL_KEYS})
    if form.validate_on_submit():
        values = {k: getattr(form, k).data for k in GENERAL_KEYS}
        values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
        _save("general", values)
        return redirect(url_for("admin.settings_general"))
    return _render("admin/settings_general.html", form)


@bp.route("/settings/reading", methods=["GET", "POST"])
@requires("settings.manage")
def settings_reading():
    """What the home page shows: the latest posts or a static page."""
    current = site_settings()
    form = ReadingSettingsForm(
        data={
            "show_on_front": current["show_on_front"],
            "page_on_front": current["page_on_front"] or 0,
        }
    )
    pages = db.session.execute(
        select(Post.id, Post.title)
        .where(Post.type == PostType.PAGE, Post.status == PostStatus.PUBLISHED)
        .order_by(Post.title)
    ).all()
    form.page_on_front.choices = [(0, "— Select —")] + [(i, t or "(no title)") for i, t in pages]
    if form.validate_on_submit():
        page_id = form.page_on_front.data or None
        if form.show_on_front.data == "page" and page_id not in {i for i, _ in pages}:
            form.page_on_front.errors = ["Choose a published page to show on the front page."]
        else:
            _save("reading", {"show_on_front": form.show_on_front.data, "page_on_front": page_id})
            return redirect(url_for("admin.settings_reading"))
    return _render("admin/settings_reading.html", form)


@bp.route("/settings/discussion", methods=["GET", "POST"])
@requires("settings.manage")
def settings_discussion():
    """The rules of the comment form and moderation, with WordPress's defaults."""
    current = site_settings()
    data = {k: current[k] for k in DISCUSSION_KEYS}
    data["default_comment_status"] = current["default_comment_status"] == "open"
    data["providers_order"] = ", ".join(current.get("providers_order") or [])
    form = DiscussionSettingsForm(data=data)
    known = registry_names()
    if form.validate_on_submit():
        order = [
            n.strip().lower() for n in (form.providers_order.data or "").split(",") if n.strip()
        ]
        unknown = [n for n in order if n not in known]
        if unknown:
            form.providers_order.errors = [
                f"Unknown provider: {', '.join(unknown)}. Known: {', '.join(known) or 'none'}."
            ]
        else:
            values = {k: getattr(form, k).data for k in DISCUSSION_KEYS}
            values["default_comment_status"] = (
                "open" if form.default_comment_status.data else "closed"
            )
            values["providers_order"] = list(dict.fromkeys(order))
            _save("discussion", values)
            return redirect(url_for("admin.settings_discussion"))
    return _render("admin/settings_discussion.html", form, providers=known)


def _render(template: str, form, **extra):
    status = 422 if form.errors and request.method == "POST" else 200
    return render_template(template, form=form, **extra), status
