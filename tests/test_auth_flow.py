"""Full sign-in round trips for every provider, through the real HTTP emulator on loopback."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from app.models import CommentDraft, Identity, OAuthClient, Role, User
from tests.auth_support import (  # noqa: F401 (fixtures)
    auth_app_fixture,
    csrf_for,
    flashes,
    idp_fixture,
    local,
    sign_in,
    start,
)

PROVIDERS = ["wordpress", "google", "twitter", "facebook", "github", "oidc", "mastodon"]


def identities(db):
    return db.session.execute(select(Identity).order_by(Identity.id)).scalars().all()


def mastodon_form(idp, provider):
    return {"instance": idp.mastodon_instance} if provider == "mastodon" else {}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_sign_in_creates_identity_and_subscriber_and_keeps_draft(
    provider, auth_app, idp, client, db, create_post
):
    post = create_post("Hello world")
    next_url = "/2024/01/02/hello-world/"
    resp = sign_in(
        client,
        provider,
        post=post,
        next_url=next_url,
        account={"username": "alice", "name": "Alice Example", "email": "alice@example.org"},
        author="Guest Name",
        **mastodon_form(idp, provider),
    )
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith(f"{next_url}#respond")
    assert flashes(client) == []

    [identity] = identities(db)
    assert identity.provider == provider
    assert identity.name == "Alice Example"
    assert identity.avatar_url
    user = identity.user
    assert user.role == Role.SUBSCRIBER
    assert not user.is_staff
    assert user.username == "alice-example"
    with client.session_transaction() as session:
        assert session["commenter_identity_id"] == identity.id

    draft = db.session.execute(select(CommentDraft)).scalar_one()
    assert draft.body == "My carefully typed comment."
    assert draft.author_name == "Guest Name"
    assert draft.post_id == post.id
    assert draft.provider == provider


def test_provider_specific_fields(auth_app, idp, client, db):
    """Each provider's traps survive the real protocol: emails, names, subjects, links."""
    alice = {"username": "alice", "name": "Alice Example", "email": "alice@example.org"}
    sign_in(client, "github", account={**alice, "name": "", "email_private": "1"})
    sign_in(client, "twitter", account=alice)
    sign_in(client, "facebook", account=alice)
    sign_in(client, "google", account=alice)
    sign_in(client, "wordpress", account=alice)
    sign_in(client, "mastodon", account=alice, instance=idp.mastodon_instance)
    by = {i.provider: i for i in identities(db)}

    github = by["github"]
    assert github.name == "alice"  # null name -> login
    assert github.email == "alice@example.org"  # private: from /user/emails
    assert github.email_verified
    assert github.profile_url == f"{idp.url}/github/alice"
    assert github.subject.isdigit()

    assert by["twitter"].email is None  # X gives no email without users.email
    assert by["twitter"].profile_url == "https://x.com/alice"
    assert by["facebook"].avatar_url == f"{idp.url}/facebook/avatars/alice.png"
    assert by["facebook"].email_verified is False
    assert by["google"].email_verified is True  # the id_token's "true" string
    assert by["wordpress"].email_verified is True
    assert by["mastodon"].subject == f"{idp.url}/mastodon/users/alice"  # the actor URI
    assert by["mastodon"].email is None
    # one reader, several identities: all linked to the first user
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_second_sign_in_refreshes_profile(auth_app, idp, client, db):
    sign_in(client, "github", account={"name": "Alice Example"})
    first = identities(db)[0]
    subject, user_id = first.subject, first.user_id

    other = auth_app.test_client()
    sign_in(other, "github", account={"name": "Alice Renamed", "email": "new@example.org"})
    db.session.expire_all()
    [identity] = identities(db)
    assert identity.subject == subject
    assert identity.user_id == user_id
    assert identity.name == "Alice Renamed"
    assert identity.email == "new@example.org"
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_linking_second_provider_keeps_one_user(auth_app, idp, client, db):
    sign_in(client, "google")
    sign_in(client, "github")
    google, github = identities(db)
    assert google.user_id == github.user_id
    with client.session_transaction() as session:
        assert session["commenter_identity_id"] == github.id


def test_same_email_elsewhere_is_not_merged(auth_app, idp, client, db):
    """Another browser signing in with the same email at another provider is another user."""
    sign_in(client, "google", account={"email": "shared@example.org"})
    sign_in(auth_app.test_client(), "github", account={"email": "shared@example.org"})
    google, github = identities(db)
    assert google.user_id != github.user_id
    names = db.session.execute(select(User.username).order_by(User.id)).scalars().all()
    assert names == ["alice-example", "alice-example-2"]


def test_mastodon_registers_once_per_instance(auth_app, idp, client, db):
    sign_in(client, "mastodon", instance=idp.mastodon_instance)
    sign_in(auth_app.test_client(), "mastodon", instance=idp.mastodon_instance + "/")
    [row] = db.session.execute(select(OAuthClient)).scalars().all()
    assert row.instance == idp.mastodon_instance
    assert len(idp.state.mastodon_apps) == 1
    assert row.client_id in idp.state.mastodon_apps


@pytest.mark.parametrize(
    ("version", "expected"),
    [((4, 2), "{url}/mastodon/users/alice"), ((4, 0), "alice@{host}")],
    ids=["4.2-uri", "old-acct"],
)
def test_mastodon_older_servers(version, expected, auth_app, idp, client, db):
    idp.state.mastodon_version = version
    sign_in(client, "mastodon", instance=idp.mastodon_instance)
    [identity] = identities(db)
    host = idp.url.split("://", 1)[1]
    assert identity.subject == expected.format(url=idp.url, host=host)
    assert identity.subject != "1"  # never the instance-local id


def test_two_mastodon_instances_same_local_id(auth_app, idp, client, db):
    from app.devidp import serve

    second = serve()
    try:
        idp.state.mastodon_version = second.state.mastodon_version = (4, 0)
        sign_in(client, "mastodon", instance=idp.mastodon_instance)
        sign_in(auth_app.test_client(), "mastodon", instance=second.mastodon_instance)
    finally:
        second.stop()
    one, two = identities(db)
    assert one.subject != two.subject
    assert one.user_id != two.user_id
    assert len(db.session.execute(select(OAuthClient)).scalars().all()) == 2


def test_logout_keeps_draft(auth_app, idp, client, db, create_post):
    post = create_post("Hello world")
    sign_in(client, "github", post=post, next_url="/2024/01/02/hello-world/")
    token = csrf_for(client)
    resp = client.post("/auth/logout", data={"csrf_token": token, "next": "/x/"})
    assert resp.headers["Location"].endswith("/x/#respond")
    with client.session_transaction() as session:
        assert "commenter_identity_id" not in session
        assert session["comment_draft"]
    assert db.session.execute(select(CommentDraft)).scalar_one().body == (
        "My carefully typed comment."
    )


def test_logout_needs_csrf_token(auth_app, idp, client):
    sign_in(client, "github")
    resp = client.post("/auth/logout", data={"next": "/"})
    assert resp.status_code == 400
    with client.session_transaction() as session:
        assert "commenter_identity_id" in session


def test_mastodon_without_instance_asks_for_it(auth_app, client):
    page = client.get("/auth/mastodon/login?next=/2024/01/02/hello/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<label for="auth-instance">Your Mastodon instance</label>' in html
    assert 'name="instance"' in html


@pytest.mark.parametrize(
    "typed",
    [
        "not a url",
        "javascript:alert(1)",
        "ftp://mastodon.example",
        "https://",
        "https://mastodon.example:99999",
        "https://user:pw@mastodon.example",
        "mastodon.example/" + "a" * 300,
    ],
)
def test_mastodon_bad_instance_gets_message_next_to_field(typed, auth_app, client, db):
    data = {"csrf_token": csrf_for(client), "instance": typed}
    resp = client.post("/auth/mastodon/login?next=/a/", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert 'class="field-error"' in html
    assert "is not the address of a Mastodon instance" in html or "too long" in html
    assert f'value="{typed}"'.replace("&", "&amp;") in html or typed in html
    assert db.session.execute(select(OAuthClient)).first() is None


def test_mastodon_instance_that_does_not_answer(auth_app, client, db, create_post):
    post = create_post("Hello world")
    resp = start(client, "mastodon", post=post, next_url="/p/", instance="http://127.0.0.1:9")
    assert resp.headers["Location"].endswith("/p/#respond")
    [(category, message)] = flashes(client)
    assert category == "error"
    assert "does not answer" in message
    assert db.session.execute(select(CommentDraft)).scalar_one().body


def test_production_refuses_development_providers(monkeypatch):
    from app import create_app

    monkeypatch.setenv("QUIRE_DEV_IDP", "1")
    with pytest.raises(RuntimeError, match="QUIRE_DEV_IDP"):
        create_app("production")
    with pytest.raises(RuntimeError, match="cannot run in production"):
        create_app({"QUIRE_ENV": "testing", "DEV_IDP": True, "ENV_NAME": "production"})


def test_development_mode_signs_in_through_the_stand_in(monkeypatch, app, db):
    """`make run` (QUIRE_DEV_IDP=1): every provider works offline against /_dev/idp."""
    import socket
    import threading

    import requests
    from werkzeug.serving import make_server

    from app import create_app

    with socket.socket() as probe:  # a free port, so SITE_URL can name it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("QUIRE_DEV_IDP", "1")
    dev = create_app(
        {
            "QUIRE_ENV": "development",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SITE_URL": f"http://127.0.0.1:{port}",
            "DEBUG": False,
        }
    )
    with dev.test_request_context():
        from app.auth.providers import enabled_providers

        assert [p.name for p in enabled_providers()] == PROVIDERS[:5] + ["mastodon", "oidc"]
    server = make_server("127.0.0.1", port, dev, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        browser = requests.Session()
        page = browser.get(f"http://127.0.0.1:{port}/auth/github/login?next=/", timeout=10)
        assert page.url.startswith(f"http://127.0.0.1:{port}/_dev/idp/github/authorize")
        assert "Development stand-in" in page.text
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        fields = {k: html.unescape(v) for k, v in fields.items()}
        fields.update(username="devreader", name="Dev Reader", email="dev@example.org")
        fields["action"] = "allow"
        done = browser.post(page.url, data=fields, timeout=10)
        assert done.url == f"http://127.0.0.1:{port}/#respond"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        with dev.app_context():
            db.engine.dispose()
    identity = db.session.execute(select(Identity)).scalar_one()
    assert (identity.provider, identity.name) == ("github", "Dev Reader")
    assert identity.user.role == Role.SUBSCRIBER


def test_oversized_profile_values_are_cut_to_fit(auth_app, idp, client, db):
    long_name = "N" * 400
    long_email = "x" * 300 + "@example.org"
    resp = sign_in(client, "google", account={"name": long_name, "email": long_email})
    assert resp.headers["Location"] == "/#respond"
    identity = db.session.execute(select(Identity)).scalar_one()
    assert identity.name == "N" * 250
    assert identity.email is None and identity.email_verified is False
    assert len(identity.user.username) <= 60


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("mastodon.social", "https://mastodon.social"),
        ("  Mastodon.Social/ ", "https://mastodon.social"),
        ("@alice@mastodon.social", "https://mastodon.social"),
        ("alice@fosstodon.org", "https://fosstodon.org"),
        ("https://social.example:8443/", "https://social.example:8443"),
    ],
)
def test_instance_addresses_readers_type(typed, expected, app):
    from app.auth.clients import normalize_instance

    with app.test_request_context():
        assert normalize_instance(typed) == expected
