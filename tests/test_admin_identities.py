"""Staff sign-in with a linked provider identity, through the provider emulator on loopback."""

from __future__ import annotations

from sqlalchemy import select
from test_admin_support import (
    login,
    post_form,
)

from app.models import Identity, Role
from tests.auth_support import auth_app_fixture, idp_fixture, sign_in  # noqa: F401 (fixtures)

GITHUB_ACCOUNT = {"username": "octo", "name": "Octo Staff", "email": "octo@example.org"}


def _sign_in_at_github(client):
    """A whole provider round trip that comes back to the admin's identity login."""
    response = sign_in(client, "github", next_url="/admin/login/identity", account=GITHUB_ACCOUNT)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/identity")
    return client.get(response.headers["Location"].split("#")[0])


def test_login_page_offers_enabled_providers(auth_app, client):
    html = client.get("/admin/login").get_data(as_text=True)
    assert "Or log in with a linked account" in html
    assert "/auth/github/login?next=/admin/login/identity" in html


def test_unlinked_identity_gets_no_admin(auth_app, idp, client, db):
    response = _sign_in_at_github(client)
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Your GitHub account is not linked to a staff account." in html
    assert client.get("/admin/").status_code == 302


def test_linked_identity_logs_staff_in(auth_app, idp, client, db, create_user):
    editor = create_user("ed", role=Role.EDITOR)
    create_user("alice", role=Role.ADMINISTRATOR)
    # the editor signs in once with GitHub (as any reader would): a subscriber identity
    reader_browser = auth_app.test_client()
    _sign_in_at_github(reader_browser)
    identity = db.session.execute(select(Identity)).scalar_one()
    assert identity.user.role == Role.SUBSCRIBER

    # an administrator links it to the editor's account
    admin = auth_app.test_client()
    assert login(admin, "alice").status_code == 302
    url = f"/admin/users/{editor.id}/identities"
    assert "GitHub: Octo Staff (octo@example.org)" in admin.get(url).get_data(as_text=True)
    response = post_form(admin, url, data={"identity_id": str(identity.id), "action": "link"})
    assert "ed can now log in with GitHub." in admin.get(response.headers["Location"]).text
    db.session.expire_all()
    assert db.session.get(Identity, identity.id).user_id == editor.id

    # the editor logs in with GitHub from a fresh browser
    response = _sign_in_at_github(client)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    assert "Howdy, Ed" in client.get("/admin/").get_data(as_text=True)

    # unlinking takes the power away again
    response = post_form(admin, url, data={"identity_id": str(identity.id), "action": "unlink"})
    db.session.expire_all()
    moved = db.session.get(Identity, identity.id)
    assert moved.user.role == Role.SUBSCRIBER and moved.user_id != editor.id
    later = auth_app.test_client()
    assert _sign_in_at_github(later).status_code == 403
