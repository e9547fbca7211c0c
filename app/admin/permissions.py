"""Who may do what in the admin: one table of actions -> roles, as WordPress's capabilities.

administrator: everything. editor: all posts and pages, comments, categories.
author: writes, publishes and edits own posts, uploads media.
contributor: writes own drafts and submits them for review, cannot publish.
subscriber: no admin access at all.
"""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from app.models import Post, PostStatus, Role

A, E, AU, C = Role.ADMINISTRATOR, Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR

PERMISSIONS: dict[str, frozenset[str]] = {
    "dashboard": frozenset({A, E, AU, C}),
    "posts.write": frozenset({A, E, AU, C}),  # create, and edit one's own
    "posts.publish": frozenset({A, E, AU}),
    "posts.edit_others": frozenset({A, E}),
    "pages.manage": frozenset({A, E}),
    "categories.manage": frozenset({A, E}),
    "media.upload": frozenset({A, E, AU}),
    "media.delete_others": frozenset({A, E}),
    "comments.moderate": frozenset({A, E}),
    "settings.manage": frozenset({A}),
    "users.manage": frozenset({A}),
    "privacy.manage": frozenset({A}),
}


def can(user, action: str) -> bool:
    """True when the user's role allows the action (unknown actions are refused)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.role in PERMISSIONS.get(action, frozenset())


def can_edit_post(user, post: Post) -> bool:
    """Own posts for writers (contributors only while unpublished); all posts for editors."""
    if post.type == "page":
        return can(user, "pages.manage")
    if can(user, "posts.edit_others"):
        return True
    if post.author_id != user.id or not can(user, "posts.write"):
        return False
    if can(user, "posts.publish"):
        return True
    return post.status in (PostStatus.DRAFT, PostStatus.PENDING)


def requires(action: str):
    """View decorator: 403 unless the current user may do `action`."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not can(current_user, action):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
