"""The commenter's sign-in: which provider identity this browser is commenting as.

Commenters are not logged in with Flask-Login (that is the staff's admin session): the
signed cookie holds only the id of the Identity row, so any node can serve any request.
"""

from __future__ import annotations

from flask import g, session
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Identity

SESSION_KEY = "commenter_identity_id"


def sign_in_identity(identity: Identity) -> None:
    """Remember in this browser that the reader comments as `identity`."""
    session[SESSION_KEY] = identity.id
    g.pop("_commenter", None)


def sign_out_identity() -> None:
    """End the commenter sign-in (a draft, if any, is kept)."""
    session.pop(SESSION_KEY, None)
    g.pop("_commenter", None)


def current_identity() -> Identity | None:
    """The identity this browser comments as, with its user (one query, cached per request)."""
    if "_commenter" not in g:
        identity_id = session.get(SESSION_KEY)
        identity = None
        if isinstance(identity_id, int):
            identity = db.session.execute(
                select(Identity)
                .options(joinedload(Identity.user))
                .where(Identity.id == identity_id)
            ).scalar_one_or_none()
            if identity is None:
                session.pop(SESSION_KEY, None)
        g._commenter = identity
    return g._commenter
