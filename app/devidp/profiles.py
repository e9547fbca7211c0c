"""The emulator's replies in each real provider's shape (profiles, token replies, errors).

The shapes follow the providers' documented examples (the recorded replies the normaliser
tests use), so the sign-in code meets here what it meets in production.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any


@dataclass
class Account:
    """One person signing in at the emulator (what they typed on its sign-in form)."""

    username: str
    name: str
    email: str
    email_verified: bool = True
    email_private: bool = False  # GitHub: hidden from /user, still in /user/emails

    def number(self, provider: str) -> int:
        """A stable numeric account id, different per provider (as real ids are)."""
        digest = hashlib.sha256(f"{provider}:{self.username}".encode()).hexdigest()
        return int(digest[:8], 16) % 1_000_000_000 + 1

    def avatar(self, base: str, provider: str) -> str:
        return f"{base}{provider}/avatars/{self.username}.png"


def wordpress_me(base: str, a: Account) -> dict[str, Any]:
    """GET /rest/v1.1/me."""
    return {
        "ID": a.number("wordpress"),
        "display_name": a.name,
        "username": a.username,
        "email": a.email,
        "primary_blog": 0,
        "avatar_URL": a.avatar(base, "wordpress"),
        "profile_URL": f"{base}wordpress/gravatar/{a.username}",
        "verified": a.email_verified,
    }


def openid_claims(a: Account, provider: str, scopes: set[str]) -> dict[str, Any]:
    """Claims of the id_token and userinfo (email and profile only with their scopes)."""
    claims: dict[str, Any] = {"sub": str(a.number(provider))}
    if "email" in scopes:
        claims["email"] = a.email
        claims["email_verified"] = a.email_verified
    if "profile" in scopes and a.name:
        claims["name"] = a.name
        claims["given_name"] = a.name.split()[0]
        claims["picture"] = f"https://avatars.invalid/{provider}/{a.username}.png"
    return claims


def x_users_me(base: str, a: Account, fields: set[str]) -> dict[str, Any]:
    """GET /2/users/me: the profile nested under `data`, only the requested user.fields."""
    data: dict[str, Any] = {"id": str(a.number("twitter")), "name": a.name, "username": a.username}
    if "profile_image_url" in fields:
        data["profile_image_url"] = a.avatar(base, "twitter")
    if "url" in fields:
        data["url"] = "https://t.co/abc123"  # the user's own website, shortened
    return {"data": data}


def facebook_me(base: str, a: Account, fields: set[str], scopes: set[str]) -> dict[str, Any]:
    """GET /me?fields=...: app-scoped id, nested picture, email only with its permission."""
    reply: dict[str, Any] = {"id": str(a.number("facebook"))}
    if "name" in fields:
        reply["name"] = a.name
    if "email" in fields and "email" in scopes and a.email:
        reply["email"] = a.email
    if "picture" in fields:
        url = a.avatar(base, "facebook")
        reply["picture"] = {"data": {"height": 50, "is_silhouette": False, "url": url, "width": 50}}
    return reply


def github_user(base: str, a: Account) -> dict[str, Any]:
    """GET /user: name and email are null when unset or private."""
    number = a.number("github")
    return {
        "login": a.username,
        "id": number,
        "node_id": f"MDQ6VXNlcj{number}",
        "avatar_url": a.avatar(base, "github"),
        "html_url": f"{base}github/{a.username}",
        "type": "User",
        "site_admin": False,
        "name": a.name or None,
        "email": None if a.email_private else a.email,
    }


def github_emails(a: Account) -> list[dict[str, Any]]:
    """GET /user/emails (user:email scope)."""
    return [
        {"email": f"{a.username}@users.noreply.invalid", "verified": True, "primary": False},
        {
            "email": a.email,
            "verified": a.email_verified,
            "primary": True,
            "visibility": "private" if a.email_private else "public",
        },
    ]


def mastodon_account(base: str, a: Account, local_id: str, with_uri: bool) -> dict[str, Any]:
    """GET /api/v1/accounts/verify_credentials: `id` is local; `uri` only from 4.2."""
    root = f"{base}mastodon"
    account = {
        "id": local_id,
        "username": a.username,
        "acct": a.username,
        "display_name": a.name,
        "locked": False,
        "bot": False,
        "note": "<p>Hello from the development stand-in.</p>",
        "url": f"{root}/@{a.username}",
        "avatar": a.avatar(base, "mastodon"),
        "avatar_static": a.avatar(base, "mastodon"),
        "source": {"privacy": "public", "note": "", "fields": []},
        "emojis": [],
        "fields": [],
    }
    if with_uri:
        account["uri"] = f"{root}/users/{a.username}"
    return account


def mastodon_userinfo(base: str, a: Account) -> dict[str, Any]:
    """GET /oauth/userinfo (4.4+): `sub` is the actor URI; no email."""
    root = f"{base}mastodon"
    return {
        "iss": f"{root}/",
        "sub": f"{root}/users/{a.username}",
        "name": a.name,
        "preferred_username": a.username,
        "profile": f"{root}/@{a.username}",
        "picture": a.avatar(base, "mastodon"),
    }


def token_reply(provider: str, access_token: str, scopes: list[str]) -> dict[str, Any]:
    """The token endpoint's success reply in the provider's shape."""
    if provider == "github":
        return {"access_token": access_token, "scope": ",".join(scopes), "token_type": "bearer"}
    if provider == "wordpress":
        return {
            "access_token": access_token,
            "blog_id": 0,
            "blog_url": "http://public-api.wordpress.com",
            "token_type": "bearer",
            "scope": " ".join(scopes),
        }
    if provider == "mastodon":
        return {
            "access_token": access_token,
            "token_type": "Bearer",
            "scope": " ".join(scopes),
            "created_at": 1573979017,
        }
    if provider == "facebook":
        return {"access_token": access_token, "token_type": "bearer", "expires_in": 5183944}
    return {
        "access_token": access_token,
        "token_type": "bearer" if provider == "twitter" else "Bearer",
        "expires_in": 3600,
        "scope": " ".join(scopes),
    }


TOKEN_ERROR_TEXT = {
    "invalid_client": "Client authentication failed due to unknown client, no client "
    "authentication included, or unsupported authentication method.",
    "invalid_grant": "The provided authorization grant is invalid, expired, revoked, does not "
    "match the redirection URI used in the authorization request, or was issued to another "
    "client.",
    "invalid_request": "The request is missing a required parameter.",
}

GITHUB_TOKEN_ERRORS = {
    "invalid_client": "incorrect_client_credentials",
    "invalid_grant": "bad_verification_code",
    "redirect_uri": "redirect_uri_mismatch",
}


def token_error(provider: str, kind: str) -> tuple[dict[str, Any], int]:
    """A token endpoint's error reply and status in the provider's own shape."""
    if provider == "github":  # GitHub answers 200 with an error body
        error = GITHUB_TOKEN_ERRORS.get(kind, "bad_verification_code")
        return {
            "error": error,
            "error_description": f"The {error.replace('_', ' ')}.",
            "error_uri": "/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token"
            "-request-errors/#" + error.replace("_", "-"),
        }, 200
    if provider == "facebook":  # a Graph error object, even at the token endpoint
        return {
            "error": {
                "message": "Error validating verification code.",
                "type": "OAuthException",
                "code": 100,
                "error_subcode": 36007,
                "fbtrace_id": "devidp",
            }
        }, 400
    error = "invalid_grant" if kind == "redirect_uri" else kind
    status = 401 if error == "invalid_client" else 400
    return {"error": error, "error_description": TOKEN_ERROR_TEXT[error]}, status


def api_error(provider: str, status: int) -> dict[str, Any]:
    """A profile endpoint's 401/403 body in the provider's own shape."""
    if provider == "github":
        return {"message": "Bad credentials", "documentation_url": "https://docs.invalid/rest"}
    if provider == "twitter":
        return {
            "title": "Unauthorized",
            "type": "about:blank",
            "status": status,
            "detail": "Unauthorized",
        }
    if provider == "facebook":
        return {
            "error": {
                "message": "Error validating access token: The session has been invalidated.",
                "type": "OAuthException",
                "code": 190,
                "error_subcode": 460,
                "fbtrace_id": "devidp",
            }
        }
    if provider == "mastodon":
        if status == 403:
            return {"error": "Your login is missing a confirmed e-mail address"}
        return {"error": "The access token is invalid"}
    if provider == "wordpress":
        return {"error": "authorization_required", "message": "An active access token is needed."}
    return {"error": "invalid_token", "error_description": "The access token is invalid."}
