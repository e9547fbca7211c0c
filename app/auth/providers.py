"""The registry of identity providers: the only module that knows how providers differ.

Each provider is one descriptor (endpoints, scopes, PKCE or not) and one normaliser that
maps that provider's profile reply to the one Identity shape the rest of the app uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app


@dataclass(frozen=True)
class IdentityInfo:
    """One identity shape for every provider."""

    provider: str
    subject: str
    name: str
    email: str | None = None
    email_verified: bool = False
    avatar_url: str | None = None
    profile_url: str | None = None


@dataclass(frozen=True)
class Provider:
    """How to sign in with one identity provider."""

    name: str  # URL slug (/auth/<name>/login) and lower-case config prefix
    title: str  # "Google", as in "You are commenting using your Google account"
    register: dict[str, Any] = field(default_factory=dict)  # keyword arguments for oauth.register()
    normalize: Callable[..., IdentityInfo] | None = None  # (client, token) -> IdentityInfo
    icon: str = ""  # file under static/img/providers/
    needs_client_id: bool = True  # Mastodon registers itself per instance instead


REGISTRY: dict[str, Provider] = {}


def get_provider(name: str) -> Provider | None:
    """The provider with this URL name, or None."""
    return REGISTRY.get(name)


def is_enabled(provider: Provider) -> bool:
    """A provider is switched on by its <NAME>_CLIENT_ID (Mastodon needs none)."""
    if not provider.needs_client_id:
        return True
    return bool(current_app.config.get(f"{provider.name.upper()}_CLIENT_ID"))


def enabled_providers() -> list[Provider]:
    """The switched-on providers, in the order chosen in the settings (then registry order)."""
    from app.settings import get_setting

    order = [n for n in (get_setting("providers_order") or []) if n in REGISTRY]
    names = order + [n for n in REGISTRY if n not in order]
    return [REGISTRY[n] for n in names if is_enabled(REGISTRY[n])]
