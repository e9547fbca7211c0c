"""Reading: home, permalinks, archives, categories, tags, authors, search, pages."""

from flask import Blueprint

bp = Blueprint("blog", __name__)

from app.blog import routes  # noqa: E402,F401
