"""Every admin request is checked here: staff only, and a lost session never loses text.

Anonymous visitors are sent to the login page. When an editor form arrives without a
session (it expired, or the user logged out in another tab) or with a CSRF token of a
session that is gone, the login page is shown with the posted fields carried along in
hidden inputs; after logging in again they are saved (see auth.resume_carried).
"""

from __future__ import annotations

import json

from flask import jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError

from app.admin import bp
from app.admin.forms import LoginForm
from app.admin.permissions import can
from app.extensions import db
from app.models.base import utcnow

PUBLIC_ENDPOINTS = {"admin.login", "admin.logout", "admin.identity_login"}
# Endpoints called by the editor's script: they answer JSON, never an HTML login page.
JSON_ENDPOINTS = {"admin.preview", "admin.autosave"}
SESSION_EXPIRED = "Your session has expired. Log in again and your changes will be saved."
# Forms whose text must survive an expired session.
CARRY_ENDPOINTS = {"admin.new_post", "admin.new_page", "admin.edit_post"}


def carried_fields() -> str:
    """The posted form as JSON (without the dead CSRF token), for the login page to carry."""
    fields = {k: v for k, v in request.form.lists() if k != "csrf_token"}
    return json.dumps(fields)


def login_page_with_carry(message: str):
    """The login page, carrying the posted editor form so nothing typed is lost."""
    form = LoginForm()
    form.carry.data = carried_fields()
    form.carry_to.data = request.path
    form.next.data = request.path
    if current_user.is_authenticated:
        form.username.data = current_user.username
    return render_template("admin/login.html", form=form, carry_message=message), 401


@bp.before_request
def _staff_only():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        if request.endpoint in JSON_ENDPOINTS:
            return _json_expired()
        if request.method == "POST" and request.endpoint in CARRY_ENDPOINTS:
            return login_page_with_carry(SESSION_EXPIRED)
        return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
    if not can(current_user, "dashboard"):
        return render_template("admin/forbidden.html"), 403
    return None


@bp.errorhandler(403)
def _forbidden(_error):
    return render_template("admin/forbidden.html"), 403


def _json_expired():
    message = "Your session has expired: the text is still here. Press Save to log in again."
    return jsonify(error=message), 401


@bp.errorhandler(CSRFError)
def _csrf_failed(error):
    if request.endpoint in JSON_ENDPOINTS:
        if not current_user.is_authenticated:
            return _json_expired()
        return jsonify(error="The security token is missing or out of date: press Save."), 400
    if request.endpoint in CARRY_ENDPOINTS:
        return login_page_with_carry(SESSION_EXPIRED)
    return render_template(
        "admin/message.html",
        title="Please try again",
        message="The form had expired (security token missing or too old). "
        "Go back, reload the page and send it again.",
    ), 400


@bp.errorhandler(DataError)
def _out_of_range(_error):
    # An id in the URL too large for the database's integers: nothing can have it.
    db.session.rollback()
    return render_template(
        "admin/message.html", title="Not found", message="There is nothing at this address."
    ), 404


@bp.context_processor
def _admin_helpers():
    # `now` lets templates ask post.is_visible(now, staff=True) before offering a View link.
    return {"can": lambda action: can(current_user, action), "now": utcnow()}
