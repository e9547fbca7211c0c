"""Command-line commands: `flask --app app seed-demo`, `flask --app app create-admin`."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.models import Role, User, log_activity


def create_admin(username: str, email: str, password: str) -> tuple[User, bool]:
    """Create an administrator, or make an existing user with that name one. (user, created)."""
    user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    created = user is None
    if created:
        user = User(username=username, display_name=username)
        db.session.add(user)
    user.email = email
    user.role = Role.ADMINISTRATOR
    user.set_password(password)
    db.session.flush()
    log_activity(None, "user.create-admin" if created else "user.promote-admin", user)
    db.session.commit()
    return user, created


def _fail(message: str) -> None:
    raise click.ClickException(message)


def init_app(app: Flask) -> None:
    """Register the commands."""

    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Add the original demo posts, pages and comments (running it twice changes nothing)."""
        from app.demo import seed_demo

        try:
            added = seed_demo()
        except SQLAlchemyError as exc:
            db.session.rollback()
            _fail(f"could not seed the demo content: {getattr(exc, 'orig', exc)}")
        click.echo(
            f"demo content: {added} new item(s)" if added else "demo content already present"
        )

    @app.cli.command("create-admin")
    @click.option("--username", prompt=True, help="login name")
    @click.option("--email", prompt=True, help="e-mail address")
    @click.option(
        "--password", prompt=True, hide_input=True, confirmation_prompt=True, help="password"
    )
    def create_admin_command(username: str, email: str, password: str) -> None:
        """Create an administrator (prompts for what is missing)."""
        username, email = username.strip(), email.strip()
        if not username or len(username) > 60:
            _fail("the username must be 1 to 60 characters")
        if "@" not in email or len(email) > 254:
            _fail("the e-mail address is not valid")
        if len(password) < 8:
            _fail("the password must be at least 8 characters")
        try:
            user, created = create_admin(username, email, password)
        except SQLAlchemyError as exc:
            db.session.rollback()
            _fail(f"could not create the administrator: {exc.__class__.__name__}")
        click.echo(f"{'created' if created else 'updated'} administrator {user.username}")
