"""Fixtures: a migrated database (SQLite by default, PostgreSQL with TEST_DATABASE_URL),
an app and client per test, factories, a query counter and a CSRF-aware form helper.

The schema is built once per session by running the Alembic migrations; after each test
every table is emptied, so tests see a clean database without rebuilding it.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.extensions import db as _db
from app.models import (
    Comment,
    CommentStatus,
    Post,
    PostStatus,
    PostType,
    Role,
    Taxonomy,
    Term,
    User,
)
from app.models.base import Base, utcnow

PG_REQUIRED = os.environ.get("QUIRE_REQUIRE_POSTGRES") == "1"
_TMP = Path(tempfile.mkdtemp(prefix="quire-tests-"))


def _database_url() -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{_TMP / 'test.sqlite3'}"


def _check_postgres(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        message = f"PostgreSQL is not reachable at {url} ({exc.orig.__class__.__name__})"
        if PG_REQUIRED:
            pytest.exit(f"{message}; QUIRE_REQUIRE_POSTGRES=1 makes this a failure", 1)
        pytest.exit(f"{message}: skipping the PostgreSQL run", 0)
    finally:
        engine.dispose()


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def make_app(**overrides):
    """An app on the test database; overrides go into its config."""
    config = {
        "QUIRE_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": _database_url(),
        "UPLOAD_FOLDER": str(_TMP / "uploads"),
        "SERVER_NAME": None,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def database_url() -> str:
    """The URL of the migrated test database."""
    url = _database_url()
    if url.startswith("postgresql"):
        _check_postgres(url)
        _reset_postgres(url)
    from flask_migrate import upgrade

    app = make_app()
    with app.app_context():
        upgrade()
        _db.engine.dispose()
    return url


def _empty_all_tables() -> None:
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(t.name for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())


class FreshContextClient(FlaskClient):
    """A test client whose every request gets its own app context, as in production.

    The `app` fixture keeps one app context pushed for the whole test, and Flask would
    reuse it for requests: flask.g (settings, Flask-Login's user, the commenter) would
    then leak from one request into the next and hide logouts and expired sessions.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url):
    """A fresh app on the migrated database, emptied after the test."""
    application = make_app()
    application.test_client_class = FreshContextClient
    with application.app_context():
        yield application
        _db.session.remove()
        _empty_all_tables()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    """The SQLAlchemy extension, bound to the test app."""
    return _db


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def count_queries(app):
    """Context manager that records the SQL statements run inside it."""

    @contextmanager
    def _count() -> Iterator[list[str]]:
        statements: list[str] = []

        def _record(conn, cursor, statement, params, context, executemany):
            statements.append(statement)

        event.listen(_db.engine, "before_cursor_execute", _record)
        try:
            yield statements
        finally:
            event.remove(_db.engine, "before_cursor_execute", _record)

    return _count


CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in a page."""
    match = CSRF_RE.search(html)
    assert match, "no csrf_token in the page"
    return match.group(1) or match.group(2)


@pytest.fixture
def create_user(db):
    """Factory: create_user(username, role=..., password=...) -> User."""

    def _create(username="alice", role=Role.ADMINISTRATOR, password="correct horse battery", **kw):
        user = User(
            username=username,
            email=kw.pop("email", f"{username}@example.org"),
            role=role,
            display_name=kw.pop("display_name", username.title()),
            **kw,
        )
        if password:
            user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return _create


@pytest.fixture
def create_term(db):
    """Factory: create_term(name, taxonomy=category, parent=None) -> Term."""

    def _create(name, taxonomy=Taxonomy.CATEGORY, parent=None, slug=None):
        from app.content import slugify

        term = Term(name=name, slug=slug or slugify(name), taxonomy=taxonomy, parent=parent)
        db.session.add(term)
        db.session.commit()
        return term

    return _create


@pytest.fixture
def create_post(db, create_user):
    """Factory: create_post(title, body, status=published, days_ago=1, ...) -> Post."""
    from app.content import render_post, slugify

    state = {"author": None}

    def _create(
        title="Hello world",
        body="Some *text*.",
        status=PostStatus.PUBLISHED,
        days_ago=1.0,
        post_type=PostType.POST,
        terms=(),
        author=None,
        **kw,
    ):
        if author is None:
            if state["author"] is None:
                state["author"] = create_user("writer", role=Role.AUTHOR, password=None)
            author = state["author"]
        post = Post(
            type=post_type,
            title=title,
            slug=kw.pop("slug", None) or slugify(title) or "post",
            source=body,
            content_html=render_post(body),
            status=status,
            author=author,
            published_at=kw.pop("published_at", utcnow() - timedelta(days=days_ago)),
            terms=list(terms),
            **kw,
        )
        db.session.add(post)
        db.session.commit()
        return post

    return _create


@pytest.fixture
def create_comment(db):
    """Factory: create_comment(post, body, parent=None, status=approved) -> Comment."""
    from app.content import render_comment

    def _create(
        post,
        body="Nice post.",
        parent=None,
        status=CommentStatus.APPROVED,
        name="Reader",
        minutes_ago=60,
        **kw,
    ):
        comment = Comment(
            post=post,
            parent=parent,
            author_name=name,
            author_email=kw.pop("email", "r@example.org"),
            body_source=body,
            body_html=render_comment(body),
            status=status,
            created_at=utcnow() - timedelta(minutes=minutes_ago),
            **kw,
        )
        db.session.add(comment)
        if status == CommentStatus.APPROVED:
            post.comment_count += 1
        db.session.commit()
        return comment

    return _create
