"""Sign-in rules: where a reader may be sent back to, and how an identity becomes a user."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.providers import IdentityInfo
from app.content import slugify
from app.extensions import db
from app.models import Identity, Role, User, log_activity


def safe_next(value: object) -> str:
    """`value` if it is a path on this site, else "/" (no //host, scheme, backslash or control)."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return "/"
    if "\\" in value or any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    return value.split("#", 1)[0] or "/"


def _unique_username(name: str, fallback: str) -> str:
    base = (slugify(name, max_length=50) or slugify(fallback, max_length=50) or "reader")[:50]
    taken = set(
        db.session.execute(select(User.username).where(User.username.like(f"{base}%"))).scalars()
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _new_user(info: IdentityInfo) -> User:
    return User(
        username=_unique_username(info.name, f"{info.provider}-{info.subject}"),
        email=info.email if info.email_verified else None,
        display_name=info.name,
        url=info.profile_url,
        role=Role.SUBSCRIBER,
    )


def sign_in_with(info: IdentityInfo, current: Identity | None = None) -> Identity:
    """The Identity for (provider, subject), created or refreshed; commits.

    A new identity gets a new subscriber, unless the browser is already signed in with
    another identity: then it is linked to that reader's user. Accounts are never merged
    on a matching email: only the browser's own sign-in links them.
    """
    for attempt in range(3):
        identity = db.session.execute(
            select(Identity).where(
                Identity.provider == info.provider, Identity.subject == info.subject
            )
        ).scalar_one_or_none()
        action = "identity.sign_in"
        if identity is None:
            user = current.user if current is not None else _new_user(info)
            identity = Identity(user=user, provider=info.provider, subject=info.subject)
            db.session.add(identity)
            action = "identity.link" if current is not None else "identity.create"
        identity.name = info.name
        identity.email = info.email
        identity.email_verified = info.email_verified
        identity.avatar_url = info.avatar_url
        identity.profile_url = info.profile_url
        try:
            db.session.flush()
            log_activity(identity.user_id, action, identity, detail=info.provider)
            db.session.commit()
            return identity
        except IntegrityError:
            # Another request created the same identity or username meanwhile: look again.
            db.session.rollback()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
