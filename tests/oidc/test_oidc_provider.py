"""The generic OpenID Connect sign-in against oidc-provider, a strict, certified provider.

server.js runs it on Node with one confidential client (secret, PKCE required) on
`localhost`; the blog's callback is on 127.0.0.1, so the two never share cookies. Its
development login and consent forms are driven with requests, as a browser would.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import tempfile
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests
from sqlalchemy import select

from app.models import CommentDraft, Identity, Role
from tests.auth_support import flashes, form_fields, local

HERE = Path(__file__).resolve().parent
BLOG = "http://127.0.0.1"
CALLBACK = f"{BLOG}/auth/oidc/callback"
SECRET = "quire-secret"
NEXT = "/2024/01/02/hello-world/"
FORM_RE = re.compile(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)


def _install() -> None:
    """npm ci into tests/oidc/node_modules once (a lock keeps parallel runs apart)."""
    npm = shutil.which("npm")
    assert npm and shutil.which("node"), "Node.js and npm are needed for the oidc-provider tests"
    with open(Path(tempfile.gettempdir()) / "quire-oidc-npm.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (HERE / "node_modules" / "oidc-provider" / "package.json").exists():
            return
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"npm ci failed:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def issuer():
    """oidc-provider running on a free port; its issuer URL."""
    _install()
    env = {"PATH": os.environ.get("PATH", ""), "REDIRECT_URI": CALLBACK}
    env.update(CLIENT_ID="quire", CLIENT_SECRET=SECRET)
    proc = subprocess.Popen(
        ["node", "server.js"],
        cwd=HERE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = proc.stdout.readline()  # the server prints its issuer once listening
        assert line.startswith("ISSUER "), f"oidc-provider did not start: {line!r}"
        yield line.split()[1]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()


@pytest.fixture
def oidc_app(app, issuer):
    app.config.update(
        OIDC_CLIENT_ID="quire",
        OIDC_CLIENT_SECRET=SECRET,
        OIDC_ISSUER=issuer,
        OIDC_NAME="Example SSO",
    )
    return app


@pytest.fixture
def post(create_post):
    return create_post("Hello world")


def blog_get(client, url):
    return client.get(local(url), base_url=BLOG)


def start(client, post):
    """Click "Example SSO" in the comment form: the draft is stored, the reader sent away."""
    page = client.get(f"/auth/mastodon/login?next={NEXT}", base_url=BLOG)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))[1]
    resp = client.post(
        f"/auth/oidc/login?{urlencode({'next': NEXT})}",
        base_url=BLOG,
        data={
            "csrf_token": token,
            "comment_post_ID": str(post.id),
            "comment": "Typed before signing in.",
            "provider": "oidc",
        },
    )
    assert resp.status_code == 302
    return resp.headers["Location"]


def submit(browser: requests.Session, url: str, html: str, **values) -> requests.Response:
    action, body = FORM_RE.search(html).groups()
    fields = form_fields(body)
    fields.update(values)
    return browser.post(urljoin(url, unescape(action)), data=fields, allow_redirects=False)


def at_provider(authorize_url: str, login: str = "reader1") -> str:
    """Sign in and consent at oidc-provider; the URL it sends the browser back to."""
    browser = requests.Session()
    url, resp = authorize_url, None
    for _ in range(12):
        resp = browser.get(url, allow_redirects=False)
        while resp.is_redirect:
            url = urljoin(url, resp.headers["Location"])
            if url.startswith(BLOG):
                return url
            resp = browser.get(url, allow_redirects=False)
        assert resp.status_code == 200, resp.text
        if 'name="login"' in resp.text:
            answer = submit(browser, url, resp.text, login=login, password="any")
        else:
            answer = submit(browser, url, resp.text)  # the consent form
        assert answer.is_redirect, answer.text
        url = urljoin(url, answer.headers["Location"])
        if url.startswith(BLOG):
            return url
    raise AssertionError("oidc-provider never sent the browser back")


def test_sign_in_with_oidc_provider(oidc_app, client, db, post):
    back = at_provider(start(client, post))
    assert "code=" in back
    resp = blog_get(client, back)
    assert resp.headers["Location"] == f"{NEXT}#respond"
    assert flashes(client, BLOG) == []
    identity = db.session.execute(select(Identity)).scalar_one()
    assert (identity.provider, identity.subject) == ("oidc", "reader1")
    assert identity.name == "Reader reader1"
    assert identity.email == "reader1@example.org" and identity.email_verified
    assert identity.user.role == Role.SUBSCRIBER
    with client.session_transaction(base_url=BLOG) as session:
        assert session["commenter_identity_id"] == identity.id
    assert db.session.execute(select(CommentDraft)).scalar_one().body == "Typed before signing in."


def assert_refused(resp, client, db):
    assert resp.headers["Location"] == f"{NEXT}#respond"
    [(category, message)] = flashes(client, BLOG)
    assert category == "error"
    assert "Example SSO refused the sign-in" in message
    assert db.session.execute(select(Identity)).first() is None
    with client.session_transaction(base_url=BLOG) as session:
        key = session["comment_draft"]
    draft = db.session.execute(select(CommentDraft).where(CommentDraft.key == key)).scalar_one()
    assert draft.body == "Typed before signing in."


def test_wrong_client_secret_is_refused(oidc_app, client, db, post):
    back = at_provider(start(client, post))
    oidc_app.config["OIDC_CLIENT_SECRET"] = "not-the-secret"
    oidc_app.extensions.pop("quire.oauth_clients", None)  # built with the old secret
    assert_refused(blog_get(client, back), client, db)


def test_wrong_pkce_verifier_is_refused(oidc_app, client, db, post):
    back = at_provider(start(client, post))
    state = parse_qs(urlsplit(back).query)["state"][0]
    with client.session_transaction(base_url=BLOG) as session:
        stored = session[f"_state_oidc_{state}"]
        stored["data"]["code_verifier"] = "x" * 64  # not the one the challenge was made from
        session[f"_state_oidc_{state}"] = stored
    assert_refused(blog_get(client, back), client, db)


def test_replayed_code_is_refused(oidc_app, client, db, post):
    other = oidc_app.test_client()
    first = at_provider(start(other, post), login="mallory")
    blog_get(other, first)
    assert db.session.execute(select(Identity)).scalar_one().subject == "mallory"
    db.session.execute(Identity.__table__.delete())
    db.session.commit()

    fresh = at_provider(start(client, post))
    old_code = parse_qs(urlsplit(first).query)["code"][0]
    state = parse_qs(urlsplit(fresh).query)["state"][0]
    replay = f"{CALLBACK}?{urlencode({'code': old_code, 'state': state})}"
    assert_refused(blog_get(client, replay), client, db)
