"""Staff area: posts and pages, editor preview, media, comment moderation, settings, users.

Optional app.config keys: MEDIA_MAX_BYTES (upload limit, default 8 MB), LOGIN_IP_LIMIT
(failed logins from one address before it is slowed down, default 50) and
ADMIN_AUTOSAVE_SECONDS (the editor's autosave interval, default 30). Failed logins are
counted in Redis when REDIS_URL is set, otherwise in the process. Roles: permissions.py.
"""

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
