"""Staff sign-in with a provider identity that an administrator linked to the account.

An administrator links an existing identity (one that has signed in on the site at least
once) to a staff account on the Users screen. The staff member then chooses the provider on
the login page; the identity providers' flow (app/auth) signs the browser in as that
identity and comes back to /admin/login/identity, which opens the admin session when the
identity belongs to a staff account. Identities are never matched by e-mail address.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.admin import bp
from app.admin.forms import LoginForm
from app.admin.params import parse_id
from app.admin.permissions import requires
from app.auth.providers import get_provider
from app.auth.session import current_identity
from app.extensions import db
from app.models import Identity, Role, User, log_activity


def provider_title(name: str) -> str:
    """The provider's display name ("GitHub"), or its key when unknown."""
    provider = get_provider(name)
    return provider.title if provider is not None else name


@bp.route("/login/identity")
def identity_login():
    """Back from a provider: open the admin session if the identity is linked to staff."""
    identity = current_identity()
    if identity is not None and identity.user is not None and identity.user.is_staff:
        login_user(identity.user)
        log_activity(identity.user.id, "login", identity.user, f"via {identity.provider}")
        db.session.commit()
        return redirect(url_for("admin.dashboard"))
    form = LoginForm()
    if identity is None:
        message = "The sign-in with the provider did not complete. Please try again."
    else:
        message = (
            f"Your {provider_title(identity.provider)} account is not linked to a staff "
            "account. Log in with your password, or ask an administrator to link it."
        )
    return render_template("admin/login.html", form=form, login_error=message), 403


def _staff_user(user_id: int) -> User:
    user = db.get_or_404(User, user_id)
    return user


@bp.route("/users/<int:user_id>/identities", methods=["GET", "POST"])
@requires("users.manage")
def user_identities(user_id: int):
    """The identities a staff member may sign in with; link another or unlink one."""
    user = _staff_user(user_id)
    if request.method == "POST":
        raw = request.form.get("identity_id", "")
        identity = db.session.get(Identity, parse_id(raw)) if parse_id(raw) else None
        if not user.is_staff:
            flash("Only staff accounts sign in to the admin area.", "error")
        elif identity is None:
            flash("Choose an identity to link.", "error")
        elif request.form.get("action") == "unlink" and identity.user_id == user.id:
            identity.user = _reader_for(identity)
            log_activity(current_user.id, "identity.unlink_staff", identity, user.username)
            db.session.commit()
            flash(f"{provider_title(identity.provider)} account unlinked.", "success")
        elif identity.user is not None and identity.user.is_staff:
            flash("That identity already belongs to a staff account.", "error")
        else:
            identity.user = user
            log_activity(current_user.id, "identity.link_staff", identity, user.username)
            db.session.commit()
            flash(
                f"{user.username} can now log in with {provider_title(identity.provider)}.",
                "success",
            )
        return redirect(url_for("admin.user_identities", user_id=user.id))
    linked = [i for i in user.identities]
    candidates = db.session.execute(
        select(Identity)
        .options(joinedload(Identity.user))
        .join(User, Identity.user_id == User.id)
        .where(User.role.not_in(Role.STAFF))
        .order_by(Identity.provider, Identity.name)
    ).scalars()
    return render_template(
        "admin/user_identities.html",
        user=user,
        linked=linked,
        candidates=list(candidates),
        provider_title=provider_title,
    )


def _reader_for(identity: Identity) -> User:
    """A new subscriber account for an identity taken away from a staff member."""
    base = f"{identity.provider}-{identity.subject}"[:50]
    name, n = base, 2
    while db.session.execute(select(User.id).where(User.username == name)).first():
        name, n = f"{base}-{n}", n + 1
    reader = User(username=name, display_name=identity.name, role=Role.SUBSCRIBER)
    db.session.add(reader)
    return reader
