"""Security headers on every response: a strict Content-Security-Policy and its companions.

The policy allows scripts and styles only from our own origin (static/), so inline
<script>, on* attributes and style="" are refused by the browser. Images may also come
from https: (avatars from Gravatar or an identity provider) and data: URLs.

form-action: Chromium applies it to the redirects that follow a form POST, and the Leave a
Reply form's provider buttons POST to /auth/<provider>/login, which redirects to the
provider's sign-in page. So form-action allows 'self' and https: (any Mastodon instance
may be the target), plus the origins of providers configured with plain-http URLs and
http: when MASTODON_ALLOW_HTTP is set: both happen only on development and test set-ups
where providers run on loopback.

A view that sets its own Content-Security-Policy (for example a stricter one on an SVG)
keeps it; the other headers are only added when missing.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app

PROVIDER_URL_SUFFIXES = ("_AUTHORIZE_URL", "_SERVER_METADATA_URL", "_ISSUER")


def _http_provider_origins(config) -> list[str]:
    origins: list[str] = []
    for key, value in config.items():
        if not (isinstance(value, str) and key.endswith(PROVIDER_URL_SUFFIXES)):
            continue
        parts = urlsplit(value)
        if parts.scheme == "http" and parts.netloc:
            origin = f"http://{parts.netloc}"
            if origin not in origins:
                origins.append(origin)
    return origins


def content_security_policy(config) -> str:
    """The Content-Security-Policy header value for an app's configuration."""
    form_action = ["'self'", "https:"]
    if config.get("MASTODON_ALLOW_HTTP"):
        form_action.append("http:")
    else:
        form_action.extend(_http_provider_origins(config))
    directives = {
        "default-src": "'self'",
        "img-src": "'self' data: https:",
        "script-src": "'self'",
        "style-src": "'self'",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "frame-ancestors": "'none'",
        "form-action": " ".join(form_action),
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def security_headers(config) -> dict[str, str]:
    """Every header the app adds to a response."""
    headers = {
        "Content-Security-Policy": content_security_policy(config),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    }
    if str(config.get("SITE_URL") or "").startswith("https://"):
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return headers


def _add_headers(response: Response) -> Response:
    for name, value in security_headers(current_app.config).items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    """Add the security headers to every response, error pages and static files included."""
    app.after_request(_add_headers)
