"""Staff login, logout, next-URL safety, throttling (in-process and Redis), role table."""

from __future__ import annotations

import uuid

import pytest
import redis
from conftest import csrf_token, make_app
from test_admin_support import (
    login,
)

from app.admin import throttle
from app.extensions import db
from app.models import Activity, Role


def test_login_page_has_labelled_fields(client):
    html = client.get("/admin/login").get_data(as_text=True)
    assert '<label for="username">Username or Email Address</label>' in html
    assert '<label for="password">Password</label>' in html
    assert 'name="remember"' in html


def test_anonymous_is_sent_to_login_with_next(client):
    response = client.get("/admin/posts/?post_status=draft")
    assert response.status_code == 302
    assert "/admin/login?next=/admin/posts/?post_status%3Ddraft" in response.headers["Location"]


def test_login_then_dashboard_then_logout(client, create_user, db):
    create_user("alice", role=Role.ADMINISTRATOR)
    response = login(client, "alice")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
    html = client.get("/admin/").get_data(as_text=True)
    assert "<h1>Dashboard</h1>" in html and "Howdy, Alice" in html
    # logout needs a POST with the token; a GET is not a logout
    assert client.get("/admin/logout", follow_redirects=True).status_code in (404, 405)
    assert "Howdy, Alice" in client.get("/admin/").get_data(as_text=True)
    response = client.post("/admin/logout", data={"csrf_token": csrf_token(html)})
    assert response.headers["Location"] == "/admin/login"
    assert client.get("/admin/").status_code == 302
    actions = [a.action for a in db.session.query(Activity).order_by(Activity.id)]
    assert actions == ["login", "logout"]


def test_logout_without_token_is_refused(client, create_user):
    create_user("alice")
    login(client, "alice")
    response = client.post("/admin/logout")
    assert response.status_code == 400
    assert "<h1>Dashboard</h1>" in client.get("/admin/").get_data(as_text=True)


def test_login_by_email_and_remember_cookie(client, create_user):
    create_user("alice")
    response = login(client, "ALICE@example.org", remember="y")
    assert response.status_code == 302
    assert "remember_token=" in " ".join(response.headers.getlist("Set-Cookie"))


def test_wrong_password_message_and_username_kept(client, create_user):
    create_user("alice")
    response = login(client, "alice", "nope")
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Unknown username or wrong password." in html
    assert 'value="alice"' in html
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/admin/posts/", "/admin/posts/"),
        ("https://evil.example/admin/", "/admin/"),
        ("//evil.example/", "/admin/"),
        ("/\\evil.example", "/admin/"),
        ("javascript:alert(1)", "/admin/"),
    ],
)
def test_next_url_stays_on_site(client, create_user, target, expected):
    create_user("alice")
    response = login(client, "alice", next=target)
    assert response.headers["Location"] == expected


def test_subscriber_cannot_log_in(client, create_user):
    create_user("sub", role=Role.SUBSCRIBER)
    response = login(client, "sub")
    assert "This account has no access to the admin area." in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_repeated_failures_lock_even_the_right_password(client, create_user):
    create_user("alice")
    for _ in range(throttle.LIMIT):
        assert "wrong password" in login(client, "alice", "guess").get_data(as_text=True)
    html = login(client, "alice").get_data(as_text=True)
    assert "Too many failed login attempts. Try again in 30 seconds." in html
    assert client.get("/admin/").status_code == 302
    # another username from the same address is not locked
    create_user("bob")
    assert login(client, "bob").status_code == 302


def test_lock_grows_with_each_failure():
    assert [throttle.lock_seconds(n) for n in (4, 5, 6, 7)] == [0, 30, 60, 120]
    assert throttle.lock_seconds(50) == throttle.MAX_DELAY


def test_success_forgets_failures(client, create_user):
    create_user("alice")
    for _ in range(throttle.LIMIT - 1):
        login(client, "alice", "guess")
    assert login(client, "alice").status_code == 302
    client.post("/admin/logout", data={"csrf_token": csrf_token(client.get("/admin/").text)})
    for _ in range(throttle.LIMIT - 1):
        login(client, "alice", "guess")
    assert login(client, "alice").status_code == 302


def test_redis_counter_is_shared_between_app_instances(app, create_user):
    """Two workers (two apps) on the same Redis see the same failures."""
    url = "redis://127.0.0.1:6379/0"
    name = f"alice-{uuid.uuid4().hex[:8]}"
    create_user(name)
    address = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    first, second = make_app(REDIS_URL=url), make_app(REDIS_URL=url)
    browsers = [first.test_client(), second.test_client()]
    for browser in browsers:
        browser.environ_base["REMOTE_ADDR"] = address
    try:
        for _ in range(throttle.LIMIT):
            login(browsers[0], name, "guess")
        with first.app_context():
            assert isinstance(throttle._counter(), throttle.RedisCounter)
        html = login(browsers[1], name).get_data(as_text=True)
        assert "Too many failed login attempts" in html
        stored = redis.Redis.from_url(url).hget(f"quire:login-failures:{name}|{address}", "count")
        assert int(stored) == throttle.LIMIT
    finally:
        redis.Redis.from_url(url).delete(
            f"quire:login-failures:{name}|{address}", f"quire:login-failures:*|{address}"
        )
        for other in (first, second):
            with other.app_context():
                db.engine.dispose()  # close their connections now, not at garbage collection


def test_one_address_trying_many_usernames_is_slowed_down(client, create_user, app):
    create_user("alice")
    app.config["LOGIN_IP_LIMIT"] = 3
    for name in ("root", "admin", "test"):
        login(client, name, "guess")
    html = login(client, "alice").get_data(as_text=True)
    assert "Too many failed login attempts" in html


def test_login_by_email_shared_with_a_reader_account(client, create_user):
    create_user("reader", role=Role.SUBSCRIBER, email="same@example.org")
    create_user("staffer", role=Role.EDITOR, email="SAME@example.org")
    response = login(client, "same@example.org")
    assert response.status_code == 302
    assert "Howdy, Staffer" in client.get("/admin/").get_data(as_text=True)
