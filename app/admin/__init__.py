"""Staff area: posts and pages, editor preview, media, comment moderation, settings, users."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from app.admin import (  # noqa: E402,F401
    access,
    auth,
    comments,
    dashboard,
    identities,
    media,
    posts,
    privacy,
    revisions,
    settings,
    terms,
    users,
)
