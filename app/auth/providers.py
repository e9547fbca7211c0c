"""The registry of identity providers: the only module that knows how providers differ.

Each provider is one descriptor (endpoints, scopes, PKCE or not), one `fetch` that reads the
profile reply (or replies) with the signed-in client, and one `normalize` that maps that raw
reply to the one IdentityInfo shape the rest of the app uses. The field choices follow the
providers' own documentation (and the traps recorded next to the test fixtures).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from flask import current_app


class ProviderError(Exception):
    """A provider answered, but not with what a sign-in needs (shown to the reader)."""


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
    register: dict[str, Any] = field(default_factory=dict)  # keyword arguments for the client
    fetch: Callable[[Any, dict], dict] | None = None  # (client, token) -> raw profile reply
    normalize: Callable[[dict], IdentityInfo] | None = None  # raw reply -> IdentityInfo
    icon: str = ""  # path under static/, e.g. "img/providers/github.svg"
    needs_client_id: bool = True  # Mastodon registers itself per instance instead
    needs_instance: bool = False  # the comment form asks for the reader's instance
    openid: bool = False  # OpenID Connect: the id_token (signature, nonce, audience) is checked
    issuer_without_scheme: bool = False  # Google also signs id_tokens as "accounts.google.com"

    def profile(self, client: Any, token: dict) -> IdentityInfo:
        """Fetch the reader's profile with a fresh token and map it to IdentityInfo."""
        assert self.fetch is not None and self.normalize is not None
        return self.normalize(self.fetch(client, token))


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _truthy(value: Any) -> bool:
    """A boolean claim that some providers send as the string "true" (Google's example)."""
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return value is True


def _json(resp: Any) -> dict:
    """A profile reply's JSON object; an error status or a non-object body is a ProviderError."""
    if resp.status_code >= 400:
        raise ProviderError(f"the profile request was refused (HTTP {resp.status_code})")
    data = resp.json()
    if not isinstance(data, dict):
        raise ProviderError("the profile reply was not a JSON object")
    return data


def _subject(value: Any) -> str:
    if isinstance(value, bool) or value in (None, ""):
        raise ProviderError("the profile reply has no account id")
    return str(value)


# --- WordPress.com ---------------------------------------------------------------------------


def fetch_wordpress(client: Any, token: dict) -> dict:
    """GET /rest/v1.1/me, the only endpoint a scope=auth token reaches."""
    return _json(client.get("me", token=token))


def normalize_wordpress(raw: dict) -> IdentityInfo:
    """WordPress.com /me: ID is an int; `verified` stands in when `email_verified` is absent."""
    verified = raw.get("email_verified", raw.get("verified"))
    return IdentityInfo(
        provider="wordpress",
        subject=_subject(raw.get("ID")),
        name=_text(raw.get("display_name")) or _text(raw.get("username")),
        email=_text(raw.get("email")) or None,
        email_verified=_truthy(verified),
        avatar_url=_text(raw.get("avatar_URL")) or None,
        profile_url=_text(raw.get("profile_URL")) or None,
    )


# --- OpenID Connect (Google and the generic provider) -----------------------------------------


def fetch_openid(client: Any, token: dict) -> dict:
    """The verified id_token's claims, completed by the userinfo endpoint when there is one."""
    claims = token.get("userinfo")
    if not claims:
        raise ProviderError("the provider sent no ID token")
    profile = dict(claims)
    if client.load_server_metadata().get("userinfo_endpoint"):
        info = dict(client.userinfo(token=token))
        if str(info.get("sub")) != str(profile.get("sub")):
            raise ProviderError("the user-info reply is for another account")
        profile.update(info)
    return profile


def _openid_identity(provider: str, raw: dict, profile_url: str | None) -> IdentityInfo:
    email = _text(raw.get("email")) or None
    name = _text(raw.get("name")) or _text(raw.get("given_name"))
    name = name or _text(raw.get("preferred_username")) or (email or "").split("@")[0]
    return IdentityInfo(
        provider=provider,
        subject=_subject(raw.get("sub")),
        name=name,
        email=email,
        email_verified=bool(email) and _truthy(raw.get("email_verified")),
        avatar_url=_text(raw.get("picture")) or None,
        profile_url=profile_url,
    )


def normalize_google(raw: dict) -> IdentityInfo:
    """Google claims: key on `sub`, never email; `profile` is legacy Google+, so no profile URL."""
    return _openid_identity("google", raw, None)


def normalize_oidc(raw: dict) -> IdentityInfo:
    """Standard OpenID Connect claims (sub, name, email, email_verified, picture, profile)."""
    return _openid_identity("oidc", raw, _text(raw.get("profile")) or None)


# --- X ---------------------------------------------------------------------------------------


def fetch_x(client: Any, token: dict) -> dict:
    """GET /2/users/me with the user fields a comment needs."""
    return _json(client.get("users/me", token=token, params={"user.fields": "profile_image_url"}))


def normalize_x(raw: dict) -> IdentityInfo:
    """X /2/users/me: nested under `data`; no email without users.email; `url` is a t.co link."""
    data = raw.get("data")
    if not isinstance(data, dict):
        raise ProviderError("the profile reply has no user data")
    username = _text(data.get("username"))
    email = _text(data.get("confirmed_email")) or None
    return IdentityInfo(
        provider="twitter",
        subject=_subject(data.get("id")),
        name=_text(data.get("name")) or username,
        email=email,
        email_verified=email is not None,
        avatar_url=_text(data.get("profile_image_url")) or None,
        profile_url=f"https://x.com/{username}" if username else None,
    )


# --- Facebook --------------------------------------------------------------------------------


def fetch_facebook(client: Any, token: dict) -> dict:
    """Graph API me with id, name, email, picture."""
    return _json(client.get("me", token=token, params={"fields": "id,name,email,picture"}))


def normalize_facebook(raw: dict) -> IdentityInfo:
    """Graph me: app-scoped id (no profile link from it), nested picture, optional email."""
    picture = raw.get("picture")
    data = picture.get("data") if isinstance(picture, dict) else None
    avatar = _text(data.get("url")) if isinstance(data, dict) else ""
    return IdentityInfo(
        provider="facebook",
        subject=_subject(raw.get("id")),
        name=_text(raw.get("name")),
        email=_text(raw.get("email")) or None,
        email_verified=False,  # Graph gives no verified flag
        avatar_url=avatar or None,
        profile_url=None,
    )


# --- GitHub ----------------------------------------------------------------------------------


def fetch_github(client: Any, token: dict) -> dict:
    """GET /user, plus /user/emails when the token was granted user:email (or user)."""
    user = _json(client.get("user", token=token))
    granted = {s.strip() for s in str(token.get("scope", "")).replace(",", " ").split()}
    emails: list = []
    if granted & {"user:email", "user"}:
        resp = client.get("user/emails", token=token)
        if resp.status_code < 400 and isinstance(resp.json(), list):
            emails = resp.json()
    return {"user": user, "emails": emails}


def normalize_github(raw: dict) -> IdentityInfo:
    """GitHub: name may be null (then login); the primary verified address beats /user.email."""
    user = raw.get("user") or {}
    email, verified = _text(user.get("email")) or None, False
    for entry in raw.get("emails") or []:
        if isinstance(entry, dict) and entry.get("primary") and entry.get("verified"):
            email, verified = _text(entry.get("email")) or email, True
            break
    return IdentityInfo(
        provider="github",
        subject=_subject(user.get("id")),
        name=_text(user.get("name")) or _text(user.get("login")),
        email=email,
        email_verified=verified,
        avatar_url=_text(user.get("avatar_url")) or None,
        profile_url=_text(user.get("html_url")) or None,
    )


# --- Mastodon --------------------------------------------------------------------------------


def fetch_mastodon(client: Any, token: dict) -> dict:
    """/oauth/userinfo (4.4+, `profile` scope) when offered, else verify_credentials."""
    metadata = client.load_server_metadata()
    raw: dict = {"instance": client.api_base_url}
    scopes = str(token.get("scope", "")).split()
    if metadata.get("userinfo_endpoint") and "profile" in scopes:
        raw["userinfo"] = _json(client.get(metadata["userinfo_endpoint"], token=token))
    else:
        raw["account"] = _json(client.get("api/v1/accounts/verify_credentials", token=token))
    return raw


def normalize_mastodon(raw: dict) -> IdentityInfo:
    """Mastodon: keyed on the actor URI (`sub`/`uri`), else acct@host; never the local id."""
    host = urlsplit(str(raw.get("instance") or "")).netloc
    info, account = raw.get("userinfo") or {}, raw.get("account") or {}
    if info:
        return IdentityInfo(
            provider="mastodon",
            subject=_subject(info.get("sub")),
            name=_text(info.get("name")) or _text(info.get("preferred_username")),
            avatar_url=_text(info.get("picture")) or None,
            profile_url=_text(info.get("profile")) or None,
        )
    subject = _text(account.get("uri"))
    if not subject:
        acct = _text(account.get("acct"))
        if not acct:
            raise ProviderError("the profile reply has no account name")
        subject = acct if "@" in acct else f"{acct}@{host}"
    return IdentityInfo(
        provider="mastodon",
        subject=subject,
        name=_text(account.get("display_name")) or _text(account.get("username")),
        avatar_url=_text(account.get("avatar_static")) or _text(account.get("avatar")) or None,
        profile_url=_text(account.get("url")) or None,
    )


def mastodon_scope(metadata: dict) -> str:
    """`profile` where the server offers it (4.4+: nothing but the profile), else read:accounts."""
    return "profile" if "profile" in (metadata.get("scopes_supported") or []) else "read:accounts"


# --- The registry ----------------------------------------------------------------------------

OPENID_SCOPE = {"scope": "openid email profile", "code_challenge_method": "S256"}

REGISTRY: dict[str, Provider] = {
    p.name: p
    for p in (
        Provider(
            name="wordpress",
            title="WordPress.com",
            icon="img/providers/wordpress.svg",
            register={
                "authorize_url": "https://public-api.wordpress.com/oauth2/authorize",
                "access_token_url": "https://public-api.wordpress.com/oauth2/token",
                "api_base_url": "https://public-api.wordpress.com/rest/v1.1/",
                "client_kwargs": {
                    "scope": "auth",
                    "token_endpoint_auth_method": "client_secret_post",
                },
            },
            fetch=fetch_wordpress,
            normalize=normalize_wordpress,
        ),
        Provider(
            name="google",
            title="Google",
            icon="img/providers/google.svg",
            register={
                "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration",
                "client_kwargs": dict(OPENID_SCOPE),
            },
            fetch=fetch_openid,
            normalize=normalize_google,
            openid=True,
            issuer_without_scheme=True,
        ),
        Provider(
            name="twitter",
            title="X",
            icon="img/providers/x.svg",
            register={
                "authorize_url": "https://x.com/i/oauth2/authorize",
                "access_token_url": "https://api.x.com/2/oauth2/token",
                "api_base_url": "https://api.x.com/2/",
                "client_kwargs": {
                    "scope": "tweet.read users.read",
                    "code_challenge_method": "S256",
                },
            },
            fetch=fetch_x,
            normalize=normalize_x,
        ),
        Provider(
            name="facebook",
            title="Facebook",
            icon="img/providers/facebook.svg",
            register={
                "authorize_url": "https://www.facebook.com/v21.0/dialog/oauth",
                "access_token_url": "https://graph.facebook.com/v21.0/oauth/access_token",
                "api_base_url": "https://graph.facebook.com/v21.0/",
                "client_kwargs": {
                    "scope": "public_profile email",
                    "token_endpoint_auth_method": "client_secret_post",
                },
            },
            fetch=fetch_facebook,
            normalize=normalize_facebook,
        ),
        Provider(
            name="github",
            title="GitHub",
            icon="img/providers/github.svg",
            register={
                "authorize_url": "https://github.com/login/oauth/authorize",
                "access_token_url": "https://github.com/login/oauth/access_token",
                "api_base_url": "https://api.github.com/",
                "client_kwargs": {
                    "scope": "read:user user:email",
                    "token_endpoint_auth_method": "client_secret_post",
                },
            },
            fetch=fetch_github,
            normalize=normalize_github,
        ),
        Provider(
            name="mastodon",
            title="Mastodon",
            icon="img/providers/mastodon.svg",
            # Endpoints are the reader's instance's; see app.auth.mastodon.
            register={"client_kwargs": {"token_endpoint_auth_method": "client_secret_post"}},
            fetch=fetch_mastodon,
            normalize=normalize_mastodon,
            needs_client_id=False,
            needs_instance=True,
        ),
        Provider(
            name="oidc",
            title="OpenID Connect",
            icon="img/providers/openid.svg",
            register={"client_kwargs": dict(OPENID_SCOPE)},
            fetch=fetch_openid,
            normalize=normalize_oidc,
            openid=True,
        ),
    )
}


def _configured(provider: Provider) -> Provider:
    """The descriptor with this app's label (OIDC_NAME names the generic provider)."""
    title = current_app.config.get(f"{provider.name.upper()}_NAME")
    return dataclasses.replace(provider, title=title) if title else provider


def get_provider(name: str) -> Provider | None:
    """The provider with this URL name, or None."""
    provider = REGISTRY.get(name)
    return _configured(provider) if provider is not None else None


def is_enabled(provider: Provider) -> bool:
    """A provider is switched on by its <NAME>_CLIENT_ID (Mastodon needs none)."""
    if not provider.needs_client_id:
        return True
    if not current_app.config.get(f"{provider.name.upper()}_CLIENT_ID"):
        return False
    # An OpenID Connect provider without an issuer (discovery document) cannot be reached.
    return not provider.openid or bool(client_settings(provider).get("server_metadata_url"))


def enabled_providers() -> list[Provider]:
    """The switched-on providers, in the order chosen in the settings (then registry order)."""
    from app.settings import get_setting

    order = [n for n in (get_setting("providers_order") or []) if n in REGISTRY]
    names = order + [n for n in REGISTRY if n not in order]
    return [_configured(REGISTRY[n]) for n in names if is_enabled(REGISTRY[n])]


def client_settings(provider: Provider) -> dict[str, Any]:
    """Keyword arguments for the provider's OAuth client: descriptor defaults, then app config."""
    config = current_app.config
    prefix = provider.name.upper()
    settings = {k: (dict(v) if isinstance(v, dict) else v) for k, v in provider.register.items()}
    settings["client_id"] = config.get(f"{prefix}_CLIENT_ID")
    settings["client_secret"] = config.get(f"{prefix}_CLIENT_SECRET")
    if config.get(f"{prefix}_ISSUER"):
        issuer = config[f"{prefix}_ISSUER"].rstrip("/")
        settings["server_metadata_url"] = f"{issuer}/.well-known/openid-configuration"
    for key in ("authorize_url", "access_token_url", "api_base_url", "server_metadata_url"):
        if config.get(f"{prefix}_{key.upper()}"):
            settings[key] = config[f"{prefix}_{key.upper()}"]
    return settings
