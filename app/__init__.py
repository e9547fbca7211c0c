"""Quire: a WordPress-style blog engine on Flask."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from config import Config, load_config

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Config | dict | str | None = None) -> Flask:
    """Build the application: load config, bind extensions, register blueprints.

    `config` may be a Config object, a QUIRE_ENV name, or a dict of overrides applied on
    top of the environment's class (tests use this).
    """
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    overrides: dict = {}
    if isinstance(config, dict):
        overrides = config
        config = overrides.get("QUIRE_ENV")
    if not isinstance(config, Config):
        config = load_config(config)
    app.config.from_object(config)
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    _register_blueprints(app)
    if app.config.get("DEV_IDP"):
        from app.devidp import init_dev

        init_dev(app)

    from app import cli, security, templating

    templating.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from sqlalchemy import event

    from app.extensions import csrf, db, login_manager, migrate, oauth

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    oauth.init_app(app)

    with app.app_context():
        if db.engine.dialect.name == "sqlite":

            @event.listens_for(db.engine, "connect")
            def _sqlite_pragmas(dbapi_connection, _record):
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA busy_timeout=5000")
                cursor.close()

    @login_manager.user_loader
    def _load_user(user_id: str):
        from app.models import User

        return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def _register_blueprints(app: Flask) -> None:
    from app.admin import bp as admin_bp
    from app.auth import bp as auth_bp
    from app.blog import bp as blog_bp
    from app.comments import bp as comments_bp
    from app.errors import bp as errors_bp

    app.register_blueprint(errors_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(comments_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    # The blog's catch-all page route (/<path>/) must come after every other blueprint.
    app.register_blueprint(blog_bp)
