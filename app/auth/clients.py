"""OAuth clients (Authlib's Flask client) for each provider, and Mastodon's per-instance apps.

Authlib's registry keeps one client per name for one app; here the clients depend on each
app's configuration (and, for Mastodon, on the reader's instance), so they are built from
the provider descriptor and cached on the app rather than registered globally.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import current_app, session, url_for
from sqlalchemy import select

from app.auth.providers import Provider, ProviderError, client_settings, mastodon_scope
from app.extensions import db, oauth
from app.models import OAuthClient

CACHE_KEY = "quire.oauth_clients"
DEFAULT_TIMEOUT = 10  # seconds for each request to a provider


class InstanceError(ValueError):
    """What the reader typed as a Mastodon instance is not one we may contact."""


def _timeout() -> float:
    return float(current_app.config.get("AUTH_HTTP_TIMEOUT") or DEFAULT_TIMEOUT)


def _build(provider: Provider, settings: dict[str, Any]) -> Any:
    client_kwargs = dict(settings.pop("client_kwargs", None) or {})
    client_kwargs["default_timeout"] = _timeout()
    framework = oauth.framework_integration_cls(provider.name, oauth.cache)
    return oauth.oauth2_client_cls(
        framework, provider.name, client_kwargs=client_kwargs, **settings
    )


def oauth_client(provider: Provider) -> Any:
    """The app's OAuth client for a provider with fixed endpoints (built once per app)."""
    cache = current_app.extensions.setdefault(CACHE_KEY, {})
    if provider.name not in cache:
        cache[provider.name] = _build(provider, client_settings(provider))
    return cache[provider.name]


def stored_state(provider: Provider, state: str | None) -> dict | None:
    """What login stored with this OAuth state (Authlib's session-backed state), if any."""
    framework = oauth.framework_integration_cls(provider.name, oauth.cache)
    return framework.get_state_data(session, state) if state else None


def normalize_instance(text: str | None) -> str:
    """The base URL of a Mastodon instance from what the reader typed ("mastodon.social",
    "@me@mastodon.social", "https://mastodon.social/")."""
    value = (text or "").strip()
    if not value:
        raise InstanceError("Type the address of your Mastodon instance, e.g. mastodon.social.")
    if "://" not in value:
        value = value.rsplit("@", 1)[-1]  # a handle like @alice@mastodon.social
        value = f"https://{value}"
    try:
        parts = urlsplit(value)
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
    allow_http = bool(current_app.config.get("MASTODON_ALLOW_HTTP"))
    if (
        not host
        or parts.username
        or parts.password
        or parts.query
        or parts.fragment
        or parts.scheme not in (("https", "http") if allow_http else ("https",))
        or any(c.isspace() for c in value)
        or ("." not in host and not allow_http)
    ):
        raise InstanceError(f"“{text.strip()}” is not the address of a Mastodon instance.")
    if not allow_http and _is_private(host):
        raise InstanceError(f"“{text.strip()}” is not a public Mastodon instance.")
    netloc = host if port is None else f"{host}:{port}"
    base = f"{parts.scheme}://{netloc}{parts.path.rstrip('/')}"
    if len(base) > 255:  # the length of oauth_clients.instance
        raise InstanceError("That instance address is too long.")
    return base


def _is_private(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not address.is_global


def _instance_metadata(instance: str) -> dict:
    """/.well-known/oauth-authorization-server (Mastodon 4.3+); {} for older servers."""
    try:
        resp = requests.get(
            f"{instance}/.well-known/oauth-authorization-server", timeout=_timeout()
        )
    except requests.RequestException as exc:
        raise InstanceError(f"The Mastodon instance {instance} does not answer.") from exc
    if resp.status_code != 200:
        return {}
    try:
        data = resp.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _register_app(provider: Provider, instance: str, scope: str) -> OAuthClient:
    """Register this site on the instance (POST /api/v1/apps) and keep its credentials."""
    from app.settings import get_setting

    try:
        resp = requests.post(
            f"{instance}/api/v1/apps",
            data={
                "client_name": get_setting("blogname") or "Quire",
                "redirect_uris": url_for("auth.callback", provider=provider.name, _external=True),
                "scopes": scope,
                "website": url_for("blog.index", _external=True),
            },
            timeout=_timeout(),
        )
        data = resp.json()
    except (requests.RequestException, ValueError) as exc:
        raise InstanceError(f"The Mastodon instance {instance} does not answer.") from exc
    if resp.status_code != 200 or not isinstance(data, dict) or not data.get("client_id"):
        reason = data.get("error") if isinstance(data, dict) else None
        raise ProviderError(
            f"The Mastodon instance {instance} refused to register this site"
            + (f": {reason}" if reason else ".")
        )
    row = OAuthClient(
        provider=provider.name,
        instance=instance,
        client_id=str(data["client_id"]),
        client_secret=str(data.get("client_secret") or ""),
    )
    db.session.add(row)
    db.session.commit()
    return row


def instance_client(provider: Provider, instance: str, register: bool = False) -> Any:
    """An OAuth client for the reader's instance, registering this site there once if asked."""
    metadata = _instance_metadata(instance)
    scope = mastodon_scope(metadata)
    row = db.session.execute(
        select(OAuthClient).where(OAuthClient.instance == instance)
    ).scalar_one_or_none()
    if row is None:
        if not register:
            raise ProviderError(f"This site is not registered on {instance}.")
        row = _register_app(provider, instance, scope)
    settings = dict(provider.register)
    settings["client_kwargs"] = {**settings.get("client_kwargs", {}), "scope": scope}
    settings.update(
        client_id=row.client_id,
        client_secret=row.client_secret,
        authorize_url=metadata.get("authorization_endpoint") or f"{instance}/oauth/authorize",
        access_token_url=metadata.get("token_endpoint") or f"{instance}/oauth/token",
        api_base_url=f"{instance}/",
    )
    if metadata.get("userinfo_endpoint"):
        settings["userinfo_endpoint"] = metadata["userinfo_endpoint"]
    return _build(provider, settings)
