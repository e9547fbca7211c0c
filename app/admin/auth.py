"""Staff login and logout at /admin/login and /admin/logout."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from app.admin import bp, throttle
from app.admin.forms import LoginForm
from app.extensions import db
from app.models import Role, User, log_activity


def safe_next(target: str | None) -> str:
    """The next URL when it stays on this site, else the dashboard."""
    default = url_for("admin.dashboard")
    if not target:
        return default
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return default
    return target


def find_staff_login(name: str) -> User | None:
    """The user with this username, else the staff member with this e-mail address.

    E-mail addresses are not unique (a reader's account may share one with staff), so an
    address only ever finds a staff account.
    """
    name = name.strip().lower()
    user = db.session.execute(
        select(User).where(func.lower(User.username) == name)
    ).scalar_one_or_none()
    if user is not None:
        return user
    return (
        db.session.execute(
            select(User)
            .where(func.lower(User.email) == name, User.role.in_(Role.STAFF))
            .order_by(User.id)
        )
        .scalars()
        .first()
    )


def _wait_text(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{(seconds + 59) // 60} minutes"


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Password login for staff, with remember-me and slowed-down failures."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        if current_user.is_authenticated and current_user.is_staff:
            return redirect(safe_next(form.next.data))
    carry_message = None
    if form.carry.data:
        carry_message = "Log in again and your changes will be saved."
    if form.validate_on_submit():
        key = throttle.throttle_key(form.username.data, request.remote_addr or "")
        wait = throttle.seconds_locked(key)
        user = None
        if wait:
            form.password.errors.append(
                f"Too many failed login attempts. Try again in {_wait_text(wait)}."
            )
        else:
            user = find_staff_login(form.username.data)
            if user is None or not user.check_password(form.password.data):
                throttle.record_failure(key)
                form.password.errors.append("Unknown username or wrong password.")
                user = None
            elif not user.is_staff:
                form.username.errors.append("This account has no access to the admin area.")
                user = None
        if user is not None:
            throttle.record_success(key)
            login_user(user, remember=form.remember.data)
            log_activity(user.id, "login", user)
            db.session.commit()
            if form.carry.data and form.carry_to.data:
                return resume_carried(form.carry_to.data, form.carry.data)
            return redirect(safe_next(form.next.data))
    status = 401 if form.errors else 200
    return render_template("admin/login.html", form=form, carry_message=carry_message), status


@bp.app_template_global()
def staff_sign_in_providers() -> list:
    """Providers shown on the staff login page (staff sign in with a linked identity)."""
    from app.auth.providers import enabled_providers

    return enabled_providers()


def resume_carried(path: str, carried: str):
    """Save an editor form that arrived after the session had expired (see access.py)."""
    from app.admin import access, posts

    try:
        fields = MultiDict([(k, v) for k, values in json.loads(carried).items() for v in values])
        adapter = current_app.url_map.bind("localhost")
        endpoint, args = adapter.match(path, method="POST")
    except (ValueError, AttributeError, HTTPException):
        flash("Your earlier changes could not be recovered.", "error")
        return redirect(url_for("admin.dashboard"))
    if endpoint not in access.CARRY_ENDPOINTS:
        return redirect(url_for("admin.dashboard"))
    return posts.save_carried_form(endpoint, args, fields)


@bp.route("/logout", methods=["POST"])
def logout():
    """End the staff session (POST with CSRF only)."""
    if current_user.is_authenticated:
        log_activity(current_user.id, "logout", current_user)
        db.session.commit()
    logout_user()
    flash("You are now logged out.", "info")
    return redirect(url_for("admin.login"))
