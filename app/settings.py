"""Site settings with WordPress's defaults, read once per request.

Stored values (the settings table) override DEFAULTS; a page asks `site_settings()` and
gets one dict, loaded with a single query and kept on flask.g for the rest of the request.
"""

from __future__ import annotations

from typing import Any

from flask import g
from sqlalchemy import select

from app.extensions import db
from app.models import Setting

DEFAULTS: dict[str, Any] = {
    # General
    "blogname": "Quire",
    "blogdescription": "Just another Quire blog",
    "site_url": "",
    "timezone": "UTC",
    "date_format": "%B %-d, %Y",
    "time_format": "%H:%M",
    "posts_per_page": 10,
    # Reading
    "show_on_front": "posts",  # or "page"
    "page_on_front": None,
    # Discussion (WordPress's defaults)
    "default_comment_status": "open",
    "require_name_email": True,
    "close_comments_for_old_posts": False,
    "close_comments_days_old": 14,
    "thread_comments": True,
    "thread_comments_depth": 5,
    "comment_moderation": False,  # hold every comment for approval
    "comment_previously_approved": True,  # author must have an approved comment
    "comment_max_links": 2,
    "moderation_keys": "",
    "disallowed_keys": "",
    "comment_flood_seconds": 15,
    "comment_edit_minutes": 15,
    "avatar_source": "gravatar",  # or "local": no third-party requests
    "providers_order": [],
}


def site_settings() -> dict[str, Any]:
    """All settings for this request (one query, then cached on g)."""
    cached = g.get("_site_settings")
    if cached is None:
        cached = dict(DEFAULTS)
        for row in db.session.execute(select(Setting)).scalars():
            cached[row.key] = row.value
        g._site_settings = cached
    return cached


def get_setting(key: str) -> Any:
    """One setting's value (its default when unset)."""
    return site_settings().get(key, DEFAULTS.get(key))


def set_settings(values: dict[str, Any]) -> None:
    """Store settings (the caller commits); unknown keys are refused."""
    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise KeyError(f"unknown settings: {', '.join(sorted(unknown))}")
    for key, value in values.items():
        row = db.session.get(Setting, key)
        if row is None:
            db.session.add(Setting(key=key, value=value))
        else:
            row.value = value
    g.pop("_site_settings", None)
