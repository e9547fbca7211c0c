"""Privacy tools, as WordPress's: export and erase the personal data held for an address."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import delete, func, select

from app.admin import bp
from app.admin.forms import PrivacyForm
from app.admin.permissions import requires
from app.comments.status import set_comment_status
from app.extensions import db
from app.models import Comment, CommentStatus, Identity, Role, Subscription, User, log_activity
from app.models.base import utcnow


def _identities_of(email: str) -> list[Identity]:
    return list(
        db.session.execute(select(Identity).where(func.lower(Identity.email) == email)).scalars()
    )


def _accounts_of(email: str) -> list[User]:
    """Users with this address, and the users behind identities with it."""
    owners = select(Identity.user_id).where(func.lower(Identity.email) == email)
    return list(
        db.session.execute(
            select(User)
            .where((func.lower(User.email) == email) | User.id.in_(owners))
            .order_by(User.id)
        ).scalars()
    )


def _comments_of(email: str) -> list[Comment]:
    owners = select(Identity.user_id).where(func.lower(Identity.email) == email)
    readers = select(User.id).where(
        ((func.lower(User.email) == email) | User.id.in_(owners)) & (User.role == Role.SUBSCRIBER)
    )
    return list(
        db.session.execute(
            select(Comment)
            .outerjoin(Identity, Comment.identity_id == Identity.id)
            .where(
                (func.lower(Comment.author_email) == email)
                | (func.lower(Identity.email) == email)
                | Comment.user_id.in_(readers)
            )
            .order_by(Comment.id)
        ).scalars()
    )


def personal_data(email: str) -> dict:
    """Everything stored about an e-mail address: accounts, comments, identities, subscriptions."""
    email = email.strip().lower()
    subs = db.session.execute(
        select(Subscription).where(func.lower(Subscription.email) == email)
    ).scalars()
    return {
        "email": email,
        "exported_at": utcnow().isoformat(),
        "accounts": [
            {
                "username": u.username,
                "display_name": u.display_name,
                "email": u.email,
                "url": u.url,
                "role": u.role,
                "created_at": u.created_at.isoformat(),
            }
            for u in _accounts_of(email)
        ],
        "comments": [
            {
                "id": c.id,
                "post_id": c.post_id,
                "author_name": c.author_name,
                "author_email": c.author_email,
                "author_url": c.author_url,
                "text": c.body_source,
                "status": c.status,
                "ip": c.ip,
                "user_agent": c.user_agent,
                "created_at": c.created_at.isoformat(),
            }
            for c in _comments_of(email)
        ],
        "identities": [
            {
                "provider": i.provider,
                "subject": i.subject,
                "name": i.name,
                "email": i.email,
                "avatar_url": i.avatar_url,
                "profile_url": i.profile_url,
                "created_at": i.created_at.isoformat(),
            }
            for i in _identities_of(email)
        ],
        "subscriptions": [
            {
                "kind": s.kind,
                "post_id": s.post_id,
                "confirmed": s.confirmed,
                "created_at": s.created_at.isoformat(),
            }
            for s in subs
        ],
    }


def erase_personal_data(actor_id: int, email: str, remove_comments: bool) -> dict[str, int]:
    """Anonymise or remove the address's comments; delete its reader accounts, identities
    and subscriptions (staff accounts are kept: they are removed on the Users screen). Commits.
    """
    email = email.strip().lower()
    comments = _comments_of(email)
    accounts = _accounts_of(email)
    readers = [u for u in accounts if not u.is_staff]
    for comment in comments:
        if remove_comments:
            set_comment_status(comment, CommentStatus.TRASH)  # keeps the post's count right
            db.session.delete(comment)
        else:
            comment.author_name, comment.author_email, comment.author_url = "Anonymous", "", ""
            comment.ip, comment.user_agent = "", ""
            comment.identity_id = None
            if comment.user in readers:
                comment.user_id = None
    db.session.flush()
    identities = _identities_of(email)
    for identity in identities:
        db.session.delete(identity)
    for reader in readers:
        db.session.delete(reader)  # with the identities they signed in with
    subs = db.session.execute(
        delete(Subscription).where(func.lower(Subscription.email) == email)
    ).rowcount
    counts = {
        "comments": len(comments),
        "identities": len(identities),
        "accounts": len(readers),
        "staff_kept": len(accounts) - len(readers),
        "subscriptions": subs,
    }
    mode = "removed" if remove_comments else "anonymised"
    log_activity(actor_id, "privacy.erase", None, f"{email}: {counts} ({mode})")
    db.session.commit()
    return counts


@bp.route("/privacy/", methods=["GET", "POST"])
@requires("privacy.manage")
def privacy():
    """Export (a JSON download) or erase the personal data of an e-mail address."""
    form = PrivacyForm()
    if form.validate_on_submit():
        email = form.email.data
        if request.form.get("action") == "erase":
            counts = erase_personal_data(current_user.id, email, form.mode.data == "remove")
            flash(
                f"Erased personal data of {email}: {counts['comments']} comment(s) "
                f"{'removed' if form.mode.data == 'remove' else 'anonymised'}, "
                f"{counts['identities']} identity(ies), {counts['accounts']} reader account(s), "
                f"{counts['subscriptions']} subscription(s)."
                + (
                    f" {counts['staff_kept']} staff account(s) kept: remove them on the Users"
                    " screen if needed."
                    if counts["staff_kept"]
                    else ""
                ),
                "success",
            )
            return redirect(url_for("admin.privacy"))
        data = personal_data(email)
        log_activity(current_user.id, "privacy.export", None, email)
        db.session.commit()
        filename = "personal-data-" + "".join(c if c.isalnum() else "-" for c in email) + ".json"
        return Response(
            json.dumps(data, indent=2, ensure_ascii=False),
            mimetype="application/json",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    status = 422 if form.errors else 200
    return render_template("admin/privacy.html", form=form), status
