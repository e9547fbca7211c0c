"""Helpers for the sign-in tests: the emulator on a loopback port and a reader's round trip.

The blog side runs in Flask's test client; the provider side is the real HTTP emulator
(app.devidp) reached with requests, as a browser would follow the redirects.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlencode, urlsplit

import pytest
import requests

from app.devidp import provider_config, serve

CLIENTS = {
    name: {f"quire-{name}": f"secret-{name}"}
    for name in ("wordpress", "google", "twitter", "facebook", "github", "oidc")
}
INPUT_RE = re.compile(r"<input\b[^>]*>", re.I)
ATTR_RE = re.compile(r'(\w+)="([^"]*)"')


@pytest.fixture(name="idp")
def idp_fixture():
    """The identity-provider emulator, served on a free loopback port."""
    running = serve(CLIENTS)
    yield running
    running.stop()


@pytest.fixture(name="auth_app")
def auth_app_fixture(app, idp):
    """The test app with every provider pointed at the emulator."""
    app.config.update(provider_config(idp.url, CLIENTS))
    return app


def form_fields(html: str) -> dict[str, str]:
    """The named inputs of a page's form (hidden ones and text fields) with their values."""
    fields = {}
    for tag in INPUT_RE.findall(html):
        attrs = dict(ATTR_RE.findall(tag))
        if "name" in attrs and attrs.get("type") not in ("checkbox", "submit"):
            fields[attrs["name"]] = unescape(attrs.get("value", ""))
        elif attrs.get("type") == "checkbox" and "checked" in tag:
            fields[attrs["name"]] = attrs.get("value", "on")
    return fields


def local(url: str) -> str:
    """The path and query of a URL on the blog (what the test client requests)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def csrf_for(client, next_url: str = "/") -> str:
    """A CSRF token for this client's session, read from a page as a browser would."""
    page = client.get(f"/auth/mastodon/login?{urlencode({'next': next_url})}")
    return form_fields(page.get_data(as_text=True))["csrf_token"]


def start(client, provider: str, post=None, next_url: str = "/", **form):
    """Click the provider's button in the comment form; returns the blog's response."""
    query = urlencode({"next": next_url})
    if post is None:  # a plain link (GET); Mastodon's instance rides in the query
        return client.get(f"/auth/{provider}/login?{urlencode({'next': next_url, **form})}")
    data = {
        "csrf_token": csrf_for(client, next_url),
        "comment_post_ID": str(post.id),
        "comment_parent": "0",
        "comment": "My carefully typed comment.",
        "author": "",
        "email": "",
        "url": "",
        "provider": provider,
    }
    data.update(form)
    return client.post(f"/auth/{provider}/login?{query}", data=data)


def at_provider(resp, action: str = "allow", **account) -> requests.Response:
    """Follow the blog's redirect to the provider and submit its sign-in form."""
    assert resp.status_code == 302, resp.get_data(as_text=True)
    authorize_url = resp.headers["Location"]
    page = requests.get(authorize_url, timeout=10)
    assert page.status_code == 200, page.text
    assert "Development stand-in" in page.text
    fields = form_fields(page.text)
    fields.update(account)
    fields = {k: v for k, v in fields.items() if v is not None}
    fields["action"] = action
    answer = requests.post(authorize_url, data=fields, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    return answer


def sign_in(client, provider: str, post=None, next_url: str = "/", account=None, **form):
    """A whole round trip: blog -> provider sign-in form -> blog callback; the final response."""
    answer = at_provider(start(client, provider, post, next_url, **form), **(account or {}))
    return client.get(local(answer.headers["Location"]))


def flashes(client, base_url: str = "http://localhost") -> list[tuple[str, str]]:
    """The messages flashed to this client and not yet shown."""
    with client.session_transaction(base_url=base_url) as session:
        return list(session.get("_flashes", []))
