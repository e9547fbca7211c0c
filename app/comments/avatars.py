"""Avatars: the provider's picture, a Gravatar URL, or one drawn here (avatar_source="local").

Nothing is fetched at render time: a page only carries URLs. With avatar_source set to
"local" every avatar (guests', signed-in readers' and staff's) is an SVG served by this
blueprint, so a page makes no third-party requests at all.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from flask import url_for
from markupsafe import escape

from app.models import Comment, Identity
from app.settings import get_setting

SIZE = 56
GRAVATAR_BASE = "https://www.gravatar.com/avatar/"


def email_hash(email: str) -> str:
    """SHA-256 of the trimmed, lower-cased email, as Gravatar accepts it."""
    return hashlib.sha256((email or "").strip().lower().encode("utf-8")).hexdigest()


def gravatar_url(email: str, size: int = SIZE) -> str:
    """A Gravatar image URL with an identicon fallback."""
    return f"{GRAVATAR_BASE}{email_hash(email)}?{urlencode({'d': 'identicon', 's': size})}"


def initials(name: str) -> str:
    """Up to two initials of a name ("Ana Ruiz" -> "AR"); "?" when there are none."""
    letters = [word[0] for word in (name or "").split() if word[0].isalnum()]
    if not letters:
        return "?"
    return "".join(letters[:1] + letters[1:][-1:]).upper()


def local_avatar_url(name: str, seed: str) -> str:
    """URL of the SVG this blueprint draws for a name (colour from the seed's hash)."""
    key = hashlib.sha256((seed or name or "").strip().lower().encode("utf-8")).hexdigest()[:16]
    return url_for("comments.avatar", key=key, letters=initials(name))


def local_avatar_svg(key: str, letters: str) -> str:
    """An SVG circle in a colour taken from the key, with the initials on it."""
    hue = int(key[:4], 16) % 360 if key else 200
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 {SIZE} {SIZE}" role="img" aria-label="{escape(letters)}">'
        f'<rect width="{SIZE}" height="{SIZE}" rx="{SIZE // 2}" fill="hsl({hue}, 45%, 38%)"/>'
        f'<text x="50%" y="50%" dy=".35em" text-anchor="middle" fill="#fff" '
        f'font-family="system-ui, sans-serif" font-size="22" font-weight="600">'
        f"{escape(letters)}</text></svg>"
    )


def _is_web_url(url: str | None) -> bool:
    return bool(url) and url.lower().startswith(("https://", "http://"))


def identity_avatar(identity: Identity) -> str:
    """A signed-in reader's avatar: the provider's picture (or a local one)."""
    if get_setting("avatar_source") == "local":
        return local_avatar_url(identity.name, f"{identity.provider}:{identity.subject}")
    if _is_web_url(identity.avatar_url):
        return identity.avatar_url
    return gravatar_url(identity.email or f"{identity.provider}:{identity.subject}")


def comment_avatar(comment: Comment) -> str:
    """The avatar shown next to a comment."""
    if comment.identity is not None:
        return identity_avatar(comment.identity)
    email = comment.user.email if comment.user is not None else comment.author_email
    if get_setting("avatar_source") == "local":
        return local_avatar_url(comment.display_name, email or comment.display_name)
    return gravatar_url(email or "")
