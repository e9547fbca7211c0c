"""/healthz: 200 when the database answers, 503 when it does not."""

from __future__ import annotations

import socket

import pytest

from app.extensions import db
from tests.conftest import make_app


def test_healthz_is_ok_with_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def _free_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql+psycopg://postgres@127.0.0.1:{_free_port()}/quire?connect_timeout=2",
        "sqlite:////nonexistent-quire-directory/sub/quire.sqlite3",
    ],
    ids=["postgres-port-closed", "sqlite-missing-directory"],
)
def test_healthz_is_503_when_the_database_is_unreachable(database_url, url):
    app = make_app(SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        response = app.test_client().get("/healthz")
        db.engine.dispose()
        assert response.status_code == 503
        assert response.get_json() == {"status": "error", "database": "unreachable"}


def test_pages_still_answer_cleanly_when_the_database_is_down(database_url):
    # As in production: the error handler answers instead of the test client re-raising.
    app = make_app(
        SQLALCHEMY_DATABASE_URI="sqlite:////nonexistent-quire-directory/quire.db",
        PROPAGATE_EXCEPTIONS=False,
    )
    with app.app_context():
        response = app.test_client().get("/")
        db.engine.dispose()
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert "Traceback" not in html
