"""Users screens: list, add, change role, delete with posts handed to another user."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select, update

from app.admin import bp
from app.admin.forms import UserCreateForm
from app.admin.permissions import requires
from app.extensions import db
from app.models import Post, Role, User, log_activity


def _user(user_id: int) -> User:
    user = db.get_or_404(User, user_id)
    return user


@bp.route("/users/")
@requires("users.manage")
def users():
    """Every user with role and number of posts (two queries)."""
    items = list(db.session.execute(select(User).order_by(User.username)).scalars())
    counts = dict(
        db.session.execute(
            select(Post.author_id, func.count(Post.id)).group_by(Post.author_id)
        ).all()
    )
    return render_template("admin/users.html", users=items, counts=counts, roles=Role.ALL)


@bp.route("/users/new", methods=["GET", "POST"])
@requires("users.manage")
def new_user():
    """Add a user with a role and a password."""
    form = UserCreateForm()
    if form.validate_on_submit():
        username = form.username.data.strip()
        email = form.email.data.strip()
        if db.session.execute(
            select(User).where(func.lower(User.username) == username.lower())
        ).first():
            form.username.errors.append("This username is already taken.")
        elif db.session.execute(
            # Readers' accounts may carry the same address; staff logins by e-mail may not.
            select(User).where(func.lower(User.email) == email.lower(), User.role.in_(Role.STAFF))
        ).first():
            form.email.errors.append("A staff member with this email address already exists.")
        else:
            user = User(
                username=username,
                email=email,
                role=form.role.data,
                display_name=(form.display_name.data or "").strip(),
            )
            user.set_password(form.password.data)
            db.session.add(user)
            db.session.flush()
            log_activity(current_user.id, "user.create", user, user.role)
            db.session.commit()
            flash(f"User {user.username} added.", "success")
            return redirect(url_for("admin.users"))
    status = 422 if form.errors else 200
    return render_template("admin/user_new.html", form=form), status


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@requires("users.manage")
def change_role(user_id: int):
    """Give a user another role (never one's own: an administrator could lock themself out)."""
    user = _user(user_id)
    role = request.form.get("role", "")
    if role not in Role.ALL:
        flash("Choose a role.", "error")
    elif user.id == current_user.id:
        flash("You cannot change your own role.", "error")
    else:
        user.role = role
        log_activity(current_user.id, "user.role", user, role)
        db.session.commit()
        flash(f"{user.username} is now {role}.", "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/delete", methods=["GET", "POST"])
@requires("users.manage")
def delete_user(user_id: int):
    """Delete a user; their posts go to the user chosen on the confirmation page."""
    user = _user(user_id)
    others = [
        u
        for u in db.session.execute(select(User).order_by(User.username)).scalars()
        if u.id != user.id and u.is_staff
    ]
    error = None
    if request.method == "POST":
        target_id = request.form.get("reassign", "")
        target = next((u for u in others if str(u.id) == target_id), None)
        if user.id == current_user.id:
            error = "You cannot delete your own account."
        elif target is None:
            error = "Choose the user who will own this user's posts."
        else:
            moved = db.session.execute(
                update(Post).where(Post.author_id == user.id).values(author_id=target.id)
            ).rowcount
            log_activity(
                current_user.id,
                "user.delete",
                user,
                f"{user.username}; {moved} posts to {target.username}",
            )
            db.session.delete(user)
            db.session.commit()
            flash(f"User deleted; {moved} post(s) now belong to {target.username}.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_delete.html", user=user, others=others, error=error), (
        422 if error else 200
    )
