"""Error pages and the health check."""

from flask import Blueprint

bp = Blueprint("errors", __name__)

from app.errors import routes  # noqa: E402,F401
