"""Security headers on every response, and pages that a strict CSP does not break."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from app.models import PostType
from app.security import content_security_policy
from tests.conftest import make_app

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def get_from(app, path: str):
    """GET a path from a separately built app, then close its database connections."""
    from app.extensions import db

    response = app.test_client().get(path)  # in its own app context, torn down after
    with app.app_context():
        db.engine.dispose()
    return response


def directives(response) -> dict[str, list[str]]:
    """The response's Content-Security-Policy as {directive: [sources]}."""
    policy = response.headers["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


@pytest.fixture
def site(create_post, create_comment):
    """A post with a comment and a page, so every kind of page has something to show."""
    post = create_post("Morning tide", "Calm *water*.", days_ago=1)
    create_comment(post, "Lovely")
    create_post("About", "Us.", post_type=PostType.PAGE)
    return post


def _urls(post) -> list[str]:
    return [
        "/",
        f"/{post.published_at:%Y/%m/%d}/{post.slug}/",
        "/about/",
        "/?s=tide",
        f"/{post.published_at:%Y}/",
        "/no-such-page/",
        "/healthz",
        "/static/css/quire.css",
    ]


def test_every_response_has_the_security_headers(client, site):
    for url in _urls(site):
        response = client.get(url)
        for name, value in EXPECTED.items():
            assert response.headers.get(name) == value, (url, name)
        policy = directives(response)
        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["img-src"] == ["'self'", "data:", "https:"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["form-action"][:2] == ["'self'", "https:"]
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
        response.close()


def test_no_hsts_on_plain_http_sites(client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


def test_hsts_when_the_site_is_https(database_url):
    response = get_from(make_app(SITE_URL="https://blog.example.org"), "/healthz")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_form_action_allows_a_provider_configured_on_plain_http(database_url):
    app = make_app(
        GITHUB_CLIENT_ID="id",
        GITHUB_AUTHORIZE_URL="http://127.0.0.1:8765/login/oauth/authorize",
        OIDC_ISSUER="http://localhost:9000/realms/test",
    )
    response = get_from(app, "/healthz")
    assert directives(response)["form-action"] == [
        "'self'",
        "https:",
        "http://127.0.0.1:8765",
        "http://localhost:9000",
    ]


def test_form_action_allows_http_when_mastodon_may_use_http():
    policy = content_security_policy({"MASTODON_ALLOW_HTTP": True})
    assert "form-action 'self' https: http:" in policy
    assert "form-action 'self' https:;" not in policy


def test_production_policy_never_allows_plain_http_forms():
    policy = content_security_policy({"GITHUB_AUTHORIZE_URL": "https://github.com/login"})
    assert policy.endswith("form-action 'self' https:")


def test_a_view_with_its_own_policy_keeps_it(database_url):
    app = make_app()

    @app.route("/strict-thing")
    def strict_thing():
        return "x", 200, {"Content-Security-Policy": "default-src 'none'"}

    response = get_from(app, "/strict-thing")
    assert response.headers["Content-Security-Policy"] == "default-src 'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


class _InlineCode(HTMLParser):
    """Finds what a strict CSP would block: inline scripts, on* handlers, style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "script":
            self._in_script = True
            if "src" not in names:
                self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"style= on <{tag}>")
            if name in ("href", "src", "action") and (value or "").startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append("inline script text")


def test_pages_have_no_inline_code_a_strict_policy_would_block(client, site):
    for url in _urls(site)[:6]:
        html = client.get(url).get_data(as_text=True)
        finder = _InlineCode()
        finder.feed(html)
        assert finder.problems == [], url
        assert re.search(r"<link rel=\"stylesheet\" href=\"/static/", html), url
