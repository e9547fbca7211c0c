"""Configuration classes, read from environment variables (see DESIGN.md, Configuration).

QUIRE_ENV picks the class: development (the default), testing or production.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

PROVIDER_NAMES = ("WORDPRESS", "GOOGLE", "TWITTER", "FACEBOOK", "GITHUB", "OIDC")
PROVIDER_URL_KEYS = ("AUTHORIZE_URL", "ACCESS_TOKEN_URL", "API_BASE_URL", "SERVER_METADATA_URL")


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _provider_settings() -> dict[str, str]:
    """Every <NAME>_CLIENT_ID / _CLIENT_SECRET / URL override found in the environment."""
    found: dict[str, str] = {}
    for name in PROVIDER_NAMES:
        for key in ("CLIENT_ID", "CLIENT_SECRET", *PROVIDER_URL_KEYS):
            env_key = f"{name}_{key}"
            if os.environ.get(env_key):
                found[env_key] = os.environ[env_key]
    for env_key in ("OIDC_ISSUER", "OIDC_NAME"):
        if os.environ.get(env_key):
            found[env_key] = os.environ[env_key]
    return found


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'quire.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL", "")
    SITE_URL = os.environ.get("SITE_URL", "")
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    # Comments may be up to 64 KB; a request body a little over that is refused with 413.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 16 * 1024 * 1024))
    WTF_CSRF_TIME_LIMIT = None  # a long comment must not expire while it is typed

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "quire@localhost")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = SITE_URL.startswith("https://")
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    def __init__(self) -> None:
        for key, value in _provider_settings().items():
            setattr(self, key, value)


class DevelopmentConfig(Config):
    """`make run`: SQLite under instance/, a throw-away secret key."""

    ENV_NAME = "development"
    DEBUG = True
    SECRET_KEY = Config.SECRET_KEY or "development-only-secret-key"

    def __init__(self) -> None:
        super().__init__()
        # QUIRE_DEV_IDP=1 (make run): every provider points at the local emulator (app.devidp).
        self.DEV_IDP = _bool("QUIRE_DEV_IDP")


class TestingConfig(Config):
    """The test suite: its database comes from TEST_DATABASE_URL (default SQLite)."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")


class ProductionConfig(Config):
    """Production: SECRET_KEY must be set; development stand-ins can never be switched on."""

    ENV_NAME = "production"

    def __init__(self) -> None:
        super().__init__()
        if os.environ.get("QUIRE_DEV_IDP", "").strip() not in ("", "0"):
            raise RuntimeError(
                "QUIRE_DEV_IDP (development identity providers) is not allowed "
                "when QUIRE_ENV=production"
            )
        if not self.SECRET_KEY:
            raise RuntimeError("SECRET_KEY must be set when QUIRE_ENV=production")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str | None = None) -> Config:
    """The configuration object for QUIRE_ENV (or the given name)."""
    env = (name or os.environ.get("QUIRE_ENV") or "development").lower()
    if env not in CONFIGS:
        raise RuntimeError(f"QUIRE_ENV must be one of {', '.join(CONFIGS)}, not {env!r}")
    return CONFIGS[env]()
