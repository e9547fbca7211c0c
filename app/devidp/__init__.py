"""Development stand-in identity providers (the emulator), and how the blog is pointed at it.

In development (QUIRE_ENV=development, QUIRE_DEV_IDP=1, as `make run` sets) the emulator is
mounted under /_dev/idp and every provider is configured to it, so each sign-in can be tried
offline. Production configuration refuses to start with it switched on (config.py).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from app.devidp.emulator import Emulator, create_emulator

__all__ = ["Emulator", "RunningEmulator", "create_emulator", "init_dev", "provider_config"]

MOUNT = "/_dev/idp"
PROVIDERS = ("wordpress", "google", "twitter", "facebook", "github", "oidc")


def dev_clients() -> dict[str, dict[str, str]]:
    """The client id and secret the blog uses for each emulated provider."""
    return {name: {f"dev-{name}": f"dev-{name}-secret"} for name in PROVIDERS}


def provider_config(base: str, clients: dict[str, dict[str, str]]) -> dict[str, Any]:
    """App config pointing each provider in `clients` at the emulator served at `base`."""
    base = base.rstrip("/")
    config: dict[str, Any] = {"MASTODON_ALLOW_HTTP": True}
    for name, pair in clients.items():
        prefix = name.upper()
        client_id, secret = next(iter(pair.items()))
        config[f"{prefix}_CLIENT_ID"] = client_id
        config[f"{prefix}_CLIENT_SECRET"] = secret
        if name in ("google", "oidc"):
            config[f"{prefix}_SERVER_METADATA_URL"] = (
                f"{base}/{name}/.well-known/openid-configuration"
            )
            continue
        config[f"{prefix}_AUTHORIZE_URL"] = f"{base}/{name}/authorize"
        config[f"{prefix}_ACCESS_TOKEN_URL"] = f"{base}/{name}/token"
        config[f"{prefix}_API_BASE_URL"] = {
            "wordpress": f"{base}/wordpress/rest/v1.1/",
            "twitter": f"{base}/twitter/2/",
            "facebook": f"{base}/facebook/v21.0/",
            "github": f"{base}/github/api/",
        }[name]
    if "oidc" in clients:
        config["OIDC_ISSUER"] = f"{base}/oidc"
        config.setdefault("OIDC_NAME", "OpenID Connect")
    return config


@dataclass
class RunningEmulator:
    """An emulator served on a loopback port in a thread (tests)."""

    app: Flask
    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://{self.server.host}:{self.server.port}"

    @property
    def state(self) -> Emulator:
        return self.app.extensions["devidp"]

    @property
    def mastodon_instance(self) -> str:
        """What a reader types as their instance to reach the emulated Mastodon."""
        return f"{self.url}/mastodon"

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)
        self.server.server_close()


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # tests read replies, not access logs
        pass


def serve(clients: dict[str, dict[str, str]] | None = None, host: str = "127.0.0.1"):
    """Start an emulator on a free port of `host`; call .stop() when done."""
    app = create_emulator(clients)
    server = make_server(host, 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="devidp", daemon=True
    )
    thread.start()
    return RunningEmulator(app=app, server=server, thread=thread)


def init_dev(app: Flask) -> None:
    """Mount the emulator under /_dev/idp and point every provider at it (development only)."""
    if app.config.get("ENV_NAME") == "production":
        raise RuntimeError("the development identity providers cannot run in production")
    site = (app.config.get("SITE_URL") or "http://127.0.0.1:5000").rstrip("/")
    clients = dev_clients()
    app.config.update(provider_config(f"{site}{MOUNT}", clients))
    app.config["DEV_IDP_MASTODON_INSTANCE"] = f"{site}{MOUNT}/mastodon"
    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {MOUNT: create_emulator(clients)})
