"""404 (with a search box), 413, 500 and /healthz."""

from __future__ import annotations

from flask import current_app, jsonify, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.errors import bp
from app.extensions import db


@bp.app_errorhandler(400)
def bad_request(error):
    """A malformed request, most often a form whose CSRF token is missing or stale."""
    if isinstance(error, CSRFError):
        message = "This form has expired. Please go back, reload the page and send it again."
    else:
        message = "Your request could not be understood. Please go back and try again."
    return render_template("errors/error.html", code=400, message=message), 400


@bp.app_errorhandler(404)
def not_found(_error):
    """A friendly page with a search box, never a traceback."""
    return render_template("errors/404.html"), 404


@bp.app_errorhandler(405)
def method_not_allowed(_error):
    """Wrong HTTP method."""
    return render_template(
        "errors/error.html", code=405, message="That method is not allowed here."
    ), 405


@bp.app_errorhandler(413)
def too_large(_error):
    """Request body over the size limit."""
    message = "What you sent is too large. Please shorten it and try again."
    return render_template("errors/error.html", code=413, message=message), 413


@bp.app_errorhandler(500)
def server_error(_error):
    """Something broke on our side; the reader sees an apology, not a traceback."""
    db.session.rollback()
    message = "Something went wrong on our side. Please try again in a moment."
    return render_template("errors/error.html", code=500, message=message), 500


@bp.route("/healthz")
def healthz():
    """200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        current_app.logger.warning("health check: database unreachable: %s", exc)
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200
