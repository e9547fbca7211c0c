"""Jinja filters and the values every template sees (site title, menu pages)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, g
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.settings import DEFAULTS, site_settings


def site_zone() -> ZoneInfo:
    """The site's time zone (Settings > General), UTC when unknown."""
    try:
        return ZoneInfo(str(site_settings().get("timezone") or "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_time(value: datetime | None) -> datetime | None:
    """A stored UTC time in the site's time zone."""
    return value.astimezone(site_zone()) if value is not None else None


def format_date(value: datetime | None, fmt: str | None = None) -> str:
    """A date in the site's format and time zone."""
    if value is None:
        return ""
    return local_time(value).strftime(fmt or site_settings()["date_format"])


def format_time(value: datetime | None) -> str:
    """A time of day in the site's format and time zone."""
    if value is None:
        return ""
    return local_time(value).strftime(site_settings()["time_format"])


def _safe_settings() -> dict:
    try:
        return site_settings()
    except SQLAlchemyError:
        db.session.rollback()  # error pages must render even when the database is down
        return dict(DEFAULTS)


def _menu_pages() -> list:
    from app.blog.services import menu_pages

    if "_menu_pages" not in g:
        try:
            g._menu_pages = menu_pages()
        except SQLAlchemyError:
            db.session.rollback()
            g._menu_pages = []
    return g._menu_pages


def init_app(app: Flask) -> None:
    """Register filters and context processors."""
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["time"] = format_time
    app.jinja_env.filters["isodate"] = lambda v: v.isoformat() if v else ""
    app.jinja_env.globals["menu_pages"] = _menu_pages

    from app.blog import urls

    urls.init_app(app)

    @app.context_processor
    def _site():
        return {"site": _safe_settings()}
