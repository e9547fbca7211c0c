"""A local identity-provider emulator: one small WSGI app speaking each provider's protocol.

Every provider lives under its own prefix (/github/..., /google/..., /mastodon/...): an
authorize page with a sign-in form, a token endpoint that checks the client secret, the
redirect URI, the PKCE verifier and that a code is used once, signed OpenID Connect
id_tokens with discovery and JWKS, the providers' profile endpoints in their real JSON shape,
Mastodon's apps API and server metadata, and each provider's error answers. Tests serve it on
a loopback port; development mode mounts it under /_dev/idp. It is never a real provider.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask, abort, current_app, jsonify, redirect, render_template, request
from joserfc import jwt
from joserfc.jwk import RSAKey

from app.devidp import profiles
from app.devidp.profiles import Account

TITLES = {
    "wordpress": "WordPress.com",
    "google": "Google",
    "twitter": "X",
    "facebook": "Facebook",
    "github": "GitHub",
    "mastodon": "Mastodon",
    "oidc": "OpenID Connect",
}
OPENID = {"google", "oidc"}
PKCE_REQUIRED = {"twitter"}
MASTODON_SCOPES = ["read", "read:accounts", "write", "push", "profile"]


@dataclass
class Emulator:
    """The emulator's state: known clients, pending codes, live tokens, and test switches."""

    clients: dict[str, dict[str, str]] = field(default_factory=dict)  # provider -> {id: secret}
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    mastodon_apps: dict[str, dict[str, Any]] = field(default_factory=dict)
    mastodon_accounts: dict[str, str] = field(default_factory=dict)  # username -> local id
    mastodon_version: tuple[int, int] = (4, 4)
    # Switches a test flips to make a provider misbehave, e.g. {"github": {"userinfo": 401}}.
    faults: dict[str, dict[str, Any]] = field(default_factory=dict)
    key: RSAKey = field(default_factory=lambda: _signing_key())

    def fault(self, provider: str, name: str) -> Any:
        return self.faults.get(provider, {}).get(name)


@lru_cache(maxsize=1)
def _signing_key() -> RSAKey:
    """One RSA key per process: generating one takes a noticeable moment."""
    return RSAKey.generate_key(2048, parameters={"kid": "d1"})


def _emulator() -> Emulator:
    return current_app.extensions["devidp"]


def _base() -> str:
    return request.url_root  # ends with "/", includes a mount point such as /_dev/idp/


def _provider(provider: str) -> str:
    if provider not in TITLES:
        abort(404)
    return provider


def _client_secret(provider: str, client_id: str) -> str | None:
    emu = _emulator()
    if provider == "mastodon":
        app_ = emu.mastodon_apps.get(client_id)
        return app_["client_secret"] if app_ else None
    return emu.clients.get(provider, {}).get(client_id)


def create_emulator(clients: dict[str, dict[str, str]] | None = None) -> Flask:
    """The emulator as a Flask app; `clients` maps provider -> {client_id: client_secret}."""
    app = Flask(__name__, template_folder=str(Path(__file__).parent / "templates"))
    app.extensions["devidp"] = Emulator(clients=clients or {})
    _routes(app)
    return app


def _routes(app: Flask) -> None:  # noqa: C901 - one place that lists every endpoint
    @app.route("/<provider>/authorize", methods=["GET", "POST"])
    @app.route("/<provider>/oauth/authorize", methods=["GET", "POST"])
    def authorize(provider: str):
        """The provider's sign-in page; Allow issues a code, Deny answers access_denied."""
        provider = _provider(provider)
        params = request.values
        client_id = params.get("client_id", "")
        redirect_uri = params.get("redirect_uri", "")
        if _client_secret(provider, client_id) is None:
            return render_template("devidp/error.html", message="Unknown client_id."), 400
        registered = _emulator().mastodon_apps.get(client_id, {}).get("redirect_uris")
        if not redirect_uri or (registered and redirect_uri not in registered):
            return render_template("devidp/error.html", message="Bad redirect_uri."), 400
        if params.get("response_type") != "code":
            return render_template("devidp/error.html", message="response_type must be code."), 400
        if provider in PKCE_REQUIRED and params.get("code_challenge_method") != "S256":
            return render_template("devidp/error.html", message="PKCE (S256) is required."), 400
        if request.method == "GET":
            return render_template(
                "devidp/authorize.html", title=TITLES[provider], provider=provider, params=params
            )
        state = params.get("state")
        if request.form.get("action") != "allow":
            reply = {"error": "access_denied", "error_description": "The user denied access."}
            if state:
                reply["state"] = state
            return redirect(f"{redirect_uri}?{urlencode(reply)}")
        account = Account(
            username=request.form.get("username", "").strip() or "alice",
            name=request.form.get("name", "").strip(),
            email=request.form.get("email", "").strip(),
            email_verified=bool(request.form.get("email_verified")),
            email_private=bool(request.form.get("email_private")),
        )
        code = secrets.token_urlsafe(24)
        _emulator().codes[code] = {
            "provider": provider,
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": params.get("scope", ""),
            "challenge": params.get("code_challenge"),
            "nonce": params.get("nonce"),
            "account": account,
        }
        reply = {"code": code}
        if state:
            reply["state"] = state
        return redirect(f"{redirect_uri}?{urlencode(reply)}")

    @app.post("/<provider>/token")
    @app.post("/<provider>/oauth/token")
    def token(provider: str):
        """Exchange a code: client secret, code once, redirect_uri and PKCE verifier checked."""
        provider = _provider(provider)
        emu = _emulator()
        form = request.form
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if request.authorization and request.authorization.type == "basic":
            client_id = request.authorization.username or ""
            secret = request.authorization.password or ""
        if emu.fault(provider, "token_delay"):
            time.sleep(float(emu.fault(provider, "token_delay")))
        expected = _client_secret(provider, client_id)
        if expected is None or not secrets.compare_digest(expected, secret):
            return _token_error(provider, "invalid_client")
        grant = emu.codes.pop(form.get("code", ""), None)  # a code works once
        if grant is None or grant["provider"] != provider or grant["client_id"] != client_id:
            return _token_error(provider, "invalid_grant")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return _token_error(provider, "redirect_uri")
        if grant["challenge"] or provider in PKCE_REQUIRED:
            verifier = form.get("code_verifier", "").encode()
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
            if not verifier or digest.decode() != grant["challenge"]:
                return _token_error(provider, "invalid_grant")
        if emu.fault(provider, "token_error"):
            return _token_error(provider, emu.fault(provider, "token_error"))
        access_token = secrets.token_urlsafe(24)
        scopes = grant["scope"].replace(",", " ").split()
        emu.tokens[access_token] = {**grant, "scopes": set(scopes)}
        reply = profiles.token_reply(provider, access_token, scopes)
        if provider in OPENID:
            reply["id_token"] = _id_token(provider, grant, set(scopes))
        if provider == "github" and "json" not in request.headers.get("Accept", ""):
            return urlencode(reply), 200, {"Content-Type": "application/x-www-form-urlencoded"}
        return jsonify(reply)

    @app.get("/<provider>/.well-known/openid-configuration")
    def openid_configuration(provider: str):
        """OpenID Connect discovery for the emulated Google and generic provider."""
        if provider not in OPENID:
            abort(404)
        root = f"{_base()}{provider}"
        return jsonify(
            {
                "issuer": root,
                "authorization_endpoint": f"{root}/authorize",
                "token_endpoint": f"{root}/token",
                "userinfo_endpoint": f"{root}/userinfo",
                "jwks_uri": f"{root}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "profile"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
                "claims_supported": ["sub", "email", "email_verified", "name", "picture"],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    @app.get("/<provider>/jwks")
    def jwks(provider: str):
        return jsonify({"keys": [_emulator().key.as_dict(private=False)]})

    @app.get("/<provider>/userinfo")
    @app.get("/<provider>/oauth/userinfo")
    def userinfo(provider: str):
        grant, error = _bearer(provider)
        if error:
            return error
        if provider == "mastodon":
            if "profile" not in grant["scopes"] or _emulator().mastodon_version < (4, 4):
                return jsonify({"error": "This action is outside the authorized scopes"}), 403
            return jsonify(profiles.mastodon_userinfo(_base(), grant["account"]))
        return jsonify(profiles.openid_claims(grant["account"], provider, grant["scopes"]))

    @app.get("/wordpress/rest/v1.1/me")
    def wordpress_me():
        grant, error = _bearer("wordpress")
        return error or jsonify(profiles.wordpress_me(_base(), grant["account"]))

    @app.get("/twitter/2/users/me")
    def x_me():
        grant, error = _bearer("twitter")
        if error:
            return error
        if not {"tweet.read", "users.read"} <= grant["scopes"]:
            return jsonify(profiles.api_error("twitter", 403)), 403
        fields = set(request.args.get("user.fields", "").split(","))
        return jsonify(profiles.x_users_me(_base(), grant["account"], fields))

    @app.get("/facebook/<version>/me")
    def facebook_me(version: str):
        grant, error = _bearer("facebook")
        if error:
            return error
        fields = set(request.args.get("fields", "id,name").split(","))
        return jsonify(profiles.facebook_me(_base(), grant["account"], fields, grant["scopes"]))

    @app.get("/github/api/user")
    def github_user():
        grant, error = _bearer("github")
        return error or jsonify(profiles.github_user(_base(), grant["account"]))

    @app.get("/github/api/user/emails")
    def github_emails():
        grant, error = _bearer("github")
        if error:
            return error
        if not grant["scopes"] & {"user", "user:email"}:
            return jsonify({"message": "Not Found"}), 404
        return jsonify(profiles.github_emails(grant["account"]))

    @app.get("/mastodon/.well-known/oauth-authorization-server")
    def mastodon_metadata():
        emu = _emulator()
        if emu.mastodon_version < (4, 3):
            abort(404)
        root = f"{_base()}mastodon"
        metadata = {
            "issuer": f"{root}/",
            "authorization_endpoint": f"{root}/oauth/authorize",
            "token_endpoint": f"{root}/oauth/token",
            "revocation_endpoint": f"{root}/oauth/revoke",
            "scopes_supported": MASTODON_SCOPES,
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "client_credentials"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "app_registration_endpoint": f"{root}/api/v1/apps",
        }
        if emu.mastodon_version >= (4, 4):
            metadata["userinfo_endpoint"] = f"{root}/oauth/userinfo"
        else:
            metadata["scopes_supported"] = [s for s in MASTODON_SCOPES if s != "profile"]
        return jsonify(metadata)

    @app.post("/mastodon/api/v1/apps")
    def mastodon_apps():
        """Register a client application (Mastodon's apps API)."""
        data = request.get_json(silent=True) or request.form
        name = (data.get("client_name") or "").strip()
        uris = data.get("redirect_uris") or ""
        uris = uris.split() if isinstance(uris, str) else list(uris)
        if not name:
            return jsonify({"error": "Validation failed: Application name can't be blank"}), 422
        if not uris:
            return jsonify({"error": "Validation failed: Redirect URI can't be blank"}), 422
        client_id = secrets.token_urlsafe(32)
        registered = {
            "id": str(len(_emulator().mastodon_apps) + 563419),
            "name": name,
            "website": data.get("website"),
            "scopes": (data.get("scopes") or "read").split(),
            "redirect_uri": "\n".join(uris),
            "redirect_uris": uris,
            "client_id": client_id,
            "client_secret": secrets.token_urlsafe(32),
            "client_secret_expires_at": 0,
        }
        _emulator().mastodon_apps[client_id] = registered
        return jsonify(registered)

    @app.get("/mastodon/api/v1/accounts/verify_credentials")
    def mastodon_verify_credentials():
        grant, error = _bearer("mastodon")
        if error:
            return error
        if not grant["scopes"] & {"read", "read:accounts", "profile"}:
            return jsonify({"error": "This action is outside the authorized scopes"}), 403
        emu = _emulator()
        account = grant["account"]
        local_id = emu.mastodon_accounts.setdefault(
            account.username, str(len(emu.mastodon_accounts) + 1)
        )
        with_uri = emu.mastodon_version >= (4, 2)
        return jsonify(profiles.mastodon_account(_base(), account, local_id, with_uri))


def _token_error(provider: str, kind: str):
    body, status = profiles.token_error(provider, kind)
    return jsonify(body), status


def _bearer(provider: str) -> tuple[dict[str, Any] | None, Any]:
    """The grant behind the request's bearer token, or an error reply in the provider's shape."""
    emu = _emulator()
    header = request.headers.get("Authorization", "")
    kind, _, value = header.partition(" ")
    grant = emu.tokens.get(value) if kind.lower() in ("bearer", "token") else None
    status = emu.fault(provider, "userinfo")
    if grant is None or grant["provider"] != provider:
        status = status or 401
    if status:
        return None, (jsonify(profiles.api_error(provider, status)), status)
    return grant, None


def _id_token(provider: str, grant: dict[str, Any], scopes: set[str]) -> str:
    """An RS256 id_token for the client, with the nonce from the authorization request."""
    emu = _emulator()
    now = int(time.time())
    claims = profiles.openid_claims(grant["account"], provider, scopes)
    if provider == "google" and "email_verified" in claims:
        # Google's documented example sends the claim as a string.
        claims["email_verified"] = "true" if claims["email_verified"] else "false"
    claims.update(
        iss=emu.fault(provider, "iss") or f"{_base()}{provider}",
        aud=emu.fault(provider, "aud") or grant["client_id"],
        azp=grant["client_id"],
        iat=now,
        exp=now + 3600,
    )
    nonce = emu.fault(provider, "nonce") or grant.get("nonce")
    if nonce:
        claims["nonce"] = nonce
    key = emu.key
    if emu.fault(provider, "foreign_key"):
        key = RSAKey.generate_key(2048, parameters={"kid": key.kid})  # same kid, wrong key
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)
