"""Attacks on the provider sign-in: each is refused, nobody is signed in, the draft is kept."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import select

from app.auth.services import safe_next
from app.models import CommentDraft, Identity
from tests.auth_support import (  # noqa: F401 (fixtures)
    at_provider,
    auth_app_fixture,
    csrf_for,
    flashes,
    idp_fixture,
    local,
    sign_in,
    start,
)

NEXT = "/2024/01/02/hello-world/"
OFF_SITE = [
    "//evil.example",
    "//evil.example/2024/01/02/hello-world/",
    "https://evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "evil.example",
    "/\r\nLocation: https://evil.example",
    "/\t/evil.example",
    "",
]


@pytest.fixture
def post(create_post):
    return create_post("Hello world")


def assert_refused(resp, client, db, words: str, next_url: str = NEXT):
    """Back at the post's reply box, told why, not signed in, comment still stored."""
    assert resp.status_code == 302
    assert resp.headers["Location"] == f"{next_url}#respond"
    messages = flashes(client)
    assert [c for c, _ in messages] == ["error"], messages
    assert words in messages[0][1]
    assert "your comment is still here" in messages[0][1].lower()
    with client.session_transaction() as session:
        assert "commenter_identity_id" not in session
        assert session.get("comment_draft")
    assert db.session.execute(select(Identity)).first() is None
    draft = db.session.execute(select(CommentDraft)).scalar_one()
    assert draft.body == "My carefully typed comment."


def code_and_state(answer) -> tuple[str, str]:
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    return query["code"][0], query["state"][0]


@pytest.mark.parametrize("provider", ["github", "google", "twitter"])
def test_missing_state_is_refused(provider, auth_app, idp, client, db, post):
    answer = at_provider(start(client, provider, post=post, next_url=NEXT))
    code, _ = code_and_state(answer)
    resp = client.get(f"/auth/{provider}/callback?{urlencode({'code': code})}")
    assert_refused(resp, client, db, "could not be checked")


@pytest.mark.parametrize("provider", ["github", "google", "mastodon"])
def test_wrong_state_is_refused(provider, auth_app, idp, client, db, post):
    extra = {"instance": idp.mastodon_instance} if provider == "mastodon" else {}
    answer = at_provider(start(client, provider, post=post, next_url=NEXT, **extra))
    code, _ = code_and_state(answer)
    query = urlencode({"code": code, "state": "forged-by-attacker"})
    resp = client.get(f"/auth/{provider}/callback?{query}")
    assert_refused(resp, client, db, "could not be checked")


def test_state_of_another_provider_is_refused(auth_app, idp, client, db, post):
    answer = at_provider(start(client, "github", post=post, next_url=NEXT))
    code, state = code_and_state(answer)
    client.get(f"/auth/google/login?next={NEXT}")  # so a Google sign-in is also under way
    resp = client.get(f"/auth/google/callback?{urlencode({'code': code, 'state': state})}")
    assert_refused(resp, client, db, "could not be checked")


def test_callback_of_another_browser_is_refused(auth_app, idp, client, db, post):
    """A login CSRF: the attacker's own code and state, pasted into the victim's browser."""
    attacker = auth_app.test_client()
    answer = at_provider(start(attacker, "github"), username="mallory")
    start(client, "github", post=post, next_url=NEXT)
    resp = client.get(local(answer.headers["Location"]))
    assert_refused(resp, client, db, "could not be checked")


@pytest.mark.parametrize("provider", ["github", "facebook", "google", "wordpress", "mastodon"])
def test_replayed_code_is_refused(provider, auth_app, idp, client, db, post):
    extra = {"instance": idp.mastodon_instance} if provider == "mastodon" else {}
    other = auth_app.test_client()
    first = at_provider(start(other, provider, **extra))
    old_code, _ = code_and_state(first)
    other.get(local(first.headers["Location"]))  # the code is used once, properly
    assert db.session.execute(select(Identity)).scalar_one()
    db.session.execute(Identity.__table__.delete())
    db.session.commit()

    # The same code again, with a fresh state of the victim's own sign-in.
    fresh = at_provider(start(client, provider, post=post, next_url=NEXT, **extra))
    _, state = code_and_state(fresh)
    resp = client.get(f"/auth/{provider}/callback?{urlencode({'code': old_code, 'state': state})}")
    assert_refused(resp, client, db, "refused the sign-in")


@pytest.mark.parametrize(
    ("fault", "value"),
    [("nonce", "not-the-nonce-we-sent"), ("aud", "another-client"), ("foreign_key", True)],
    ids=["nonce-wrong", "audience-other-client", "signed-with-another-key"],
)
@pytest.mark.parametrize("provider", ["google", "oidc"])
def test_bad_id_token_is_refused(provider, fault, value, auth_app, idp, client, db, post):
    idp.state.faults[provider] = {fault: value}
    resp = sign_in(client, provider, post=post, next_url=NEXT)
    assert_refused(resp, client, db, "could not be verified")


def test_access_denied_at_provider(auth_app, idp, client, db, post):
    answer = at_provider(start(client, "github", post=post, next_url=NEXT), action="deny")
    assert "error=access_denied" in answer.headers["Location"]
    resp = client.get(local(answer.headers["Location"]))
    assert_refused(resp, client, db, "was cancelled")


@pytest.mark.parametrize("provider", ["github", "facebook", "twitter", "wordpress", "google"])
def test_token_endpoint_error_in_provider_shape(provider, auth_app, idp, client, db, post):
    """GitHub says no with HTTP 200, Facebook with a Graph error object, others per RFC 6749."""
    idp.state.faults[provider] = {"token_error": "invalid_grant"}
    resp = sign_in(client, provider, post=post, next_url=NEXT)
    assert_refused(resp, client, db, "refused the sign-in")


@pytest.mark.parametrize("provider", ["github", "facebook", "twitter", "wordpress", "google"])
def test_wrong_client_secret_is_refused(provider, auth_app, idp, client, db, post):
    auth_app.config[f"{provider.upper()}_CLIENT_SECRET"] = "not-the-secret"
    resp = sign_in(client, provider, post=post, next_url=NEXT)
    assert_refused(resp, client, db, "refused the sign-in")


@pytest.mark.parametrize("status", [401, 403])
@pytest.mark.parametrize("provider", ["github", "facebook", "twitter", "wordpress", "mastodon"])
def test_profile_endpoint_error(provider, status, auth_app, idp, client, db, post):
    idp.state.faults[provider] = {"userinfo": status}
    extra = {"instance": idp.mastodon_instance} if provider == "mastodon" else {}
    resp = sign_in(client, provider, post=post, next_url=NEXT, **extra)
    assert_refused(resp, client, db, "did not send your profile")


def test_provider_timeout(auth_app, idp, client, db, post):
    auth_app.config["AUTH_HTTP_TIMEOUT"] = 0.2
    idp.state.faults["github"] = {"token_delay": 1.0}
    resp = sign_in(client, "github", post=post, next_url=NEXT)
    assert_refused(resp, client, db, "did not answer in time")


def test_unknown_provider_keeps_draft(auth_app, client, db, post):
    resp = start(client, "myspace", post=post, next_url=NEXT)
    assert resp.status_code == 302
    assert resp.headers["Location"] == f"{NEXT}#respond"
    [(category, message)] = flashes(client)
    assert category == "error" and "not available" in message
    assert db.session.execute(select(CommentDraft)).scalar_one().body


def test_unconfigured_provider_is_unknown(app, client, db, post):
    resp = start(client, "github", post=post, next_url=NEXT)
    assert resp.headers["Location"] == f"{NEXT}#respond"
    assert "not available" in flashes(client)[0][1]
    assert db.session.execute(select(CommentDraft)).scalar_one().body


@pytest.mark.parametrize("target", OFF_SITE)
def test_off_site_next_is_refused_on_the_way_back(target, auth_app, idp, client, db, post):
    resp = sign_in(client, "github", post=post, next_url=target)
    assert resp.headers["Location"] == "/#respond"
    assert db.session.execute(select(Identity)).scalar_one()  # signed in, but sent home
    assert db.session.execute(select(CommentDraft)).scalar_one().body


@pytest.mark.parametrize("target", OFF_SITE)
def test_off_site_next_is_refused_on_failure_and_logout(target, auth_app, idp, client, db, post):
    answer = at_provider(start(client, "github", post=post, next_url=target), action="deny")
    resp = client.get(local(answer.headers["Location"]))
    assert resp.headers["Location"] == "/#respond"
    logout = client.post("/auth/logout", data={"csrf_token": csrf_for(client), "next": target})
    assert logout.headers["Location"] == "/#respond"
    assert db.session.execute(select(CommentDraft)).scalar_one().body


@pytest.mark.parametrize("target", OFF_SITE)
def test_safe_next_refuses_off_site(target):
    assert safe_next(target) == "/"


@pytest.mark.parametrize("target", [NEXT, "/", "/?p=3", "/2024/01/02/hello-world/?replytocom=4"])
def test_safe_next_keeps_local_paths(target):
    assert safe_next(target) == target


def test_google_issuer_without_scheme_is_accepted(auth_app, idp, client, db, post):
    """Google documents both "https://accounts.google.com" and "accounts.google.com"."""
    idp.state.faults["google"] = {"iss": f"{idp.url.split('://', 1)[1]}/google"}
    resp = sign_in(client, "google", post=post, next_url=NEXT)
    assert resp.headers["Location"] == f"{NEXT}#respond"
    assert flashes(client) == []
    assert db.session.execute(select(Identity)).scalar_one().provider == "google"


@pytest.mark.parametrize(
    ("provider", "issuer"),
    [
        ("google", "https://evil.example/google"),
        ("oidc", "https://evil.example/oidc"),
        ("oidc", "{host}/oidc"),  # only Google's issuer has a second spelling
    ],
)
def test_id_token_from_another_issuer_is_refused(provider, issuer, auth_app, idp, client, db, post):
    idp.state.faults[provider] = {"iss": issuer.format(host=idp.url.split("://", 1)[1])}
    resp = sign_in(client, provider, post=post, next_url=NEXT)
    assert_refused(resp, client, db, "could not be verified")


@pytest.mark.parametrize("post_id", ["99999999999999999999", "-1", "abc", ""])
def test_malformed_post_id_stores_nothing_and_fails_softly(post_id, auth_app, idp, client, db):
    resp = client.post(
        "/auth/github/login?next=/a/",
        data={"csrf_token": csrf_for(client), "comment_post_ID": post_id, "comment": "x"},
    )
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith(f"{idp.url}/github/authorize")
    assert db.session.execute(select(CommentDraft)).first() is None


def test_overlong_next_falls_back_home():
    assert safe_next("/" + "a" * 3000) == "/"


@pytest.mark.parametrize(
    "typed",
    [
        "localhost",
        "http://mastodon.example",  # plain http outside development
        "127.0.0.1",
        "10.1.2.3",
        "169.254.169.254",
        "[::1]",
        "https://192.168.0.10:8443",
        "intranet",
    ],
)
def test_mastodon_instance_must_be_public_in_production(typed, app, client, db):
    """The server contacts what the reader types: never a private or loopback address."""
    assert not app.config.get("MASTODON_ALLOW_HTTP")
    data = {"csrf_token": csrf_for(client), "instance": typed}
    resp = client.post("/auth/mastodon/login?next=/a/", data=data)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert 'class="field-error"' in html
    assert "not a public Mastodon instance" in html or "is not the address of" in html
    assert db.session.execute(select(Identity)).first() is None
