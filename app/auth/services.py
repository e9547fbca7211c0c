"""Sign-in rules: where a reader may be sent back to, and how an identity becomes a user."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.providers import IdentityInfo, ProviderError
from app.content import slugify
from app.extensions import db
from app.models import Identity, Role, User, log_activity


def safe_next(value: object) -> str:
    """`value` if it is a path on this site, else "/" (no //host, scheme, backslash or control)."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return "/"
    if len(value) > 2000:  # it travels in the session cookie
        return "/"
    if "\\" in value or any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    return value.split("#", 1)[0] or "/"


def _fits(value: str | None, length: int) -> str | None:
    return value if value and len(value) <= length else None


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
        email=_fits(info.email, 254) if info.email_verified else None,
        display_name=info.name[:250],
        url=_fits(info.profile_url, 500),
        role=Role.SUBSCRIBER,
    )


def sign_in_with(info: IdentityInfo, current: Identity | None = None) -> Identity:
    """The Identity for (provider, subject), created or refreshed; commits.

    A new identity gets a new subscriber, unless the browser is already signed in with
    another identity: then it is linked to that reader's user. Accounts are never merged
    on a matching email: only the browser's own sign-in links them.
    """
    attempts = 3
    while True:
        try:
            return _record_identity(info, current)
        except IntegrityError:
            # Another request created the same identity or username meanwhile: look again.
            db.session.rollback()
            attempts -= 1
            if not attempts:
                raise


def _record_identity(info: IdentityInfo, current: Identity | None) -> Identity:
    if len(info.subject) > 500:
        raise ProviderError("the account id is too long")
    identity = db.session.execute(
        select(Identity).where(Identity.provider == info.provider, Identity.subject == info.subject)
    ).scalar_one_or_none()
    action = "identity.sign_in"
    if identity is None:
        user = current.user if current is not None else _new_user(info)
        identity = Identity(user=user, provider=info.provider, subject=info.subject)
        db.session.add(identity)
        action = "identity.link" if current is not None else "identity.create"
    # Provider values are stored only where they fit the columns (PostgreSQL refuses longer).
    identity.name = info.name[:250]
    identity.email = _fits(info.email, 254)
    identity.email_verified = info.email_verified and identity.email is not None
    identity.avatar_url = _fits(info.avatar_url, 1000)
    identity.profile_url = _fits(info.profile_url, 1000)
    db.session.flush()
    log_activity(identity.user_id, action, identity, detail=info.provider)
    db.session.commit()
    return identity
