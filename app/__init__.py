"""Backtrack: a patient portal for PRP back-pain treatment and home physical therapy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import config as settings
from app.extensions import csrf, db, login_manager, migrate


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app in named steps; `overrides` (tests) win over every other source."""
    app = Flask(__name__, instance_relative_config=True)
    load_configuration(app, overrides)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_security(app)
    register_template_helpers(app)
    return app


def load_configuration(app: Flask, overrides: dict[str, Any] | None) -> None:
    app.config.from_mapping(settings.default_settings(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(settings.read_environment())
    app.config.from_prefixed_env("BACKTRACK")
    app.config.update(overrides or {})
    settings.finalize(app.config, app.instance_path)
    if app.config.get("PROXY_FIX_X_FOR"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["PROXY_FIX_X_FOR"]), x_proto=1)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    from app import database

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    database.configure_engine(app)

    from app.auth.session import load_user

    login_manager.user_loader(load_user)


def register_blueprints(app: Flask) -> None:
    from app.admin import bp as admin_bp
    from app.auth import bp as auth_bp
    from app.errors import bp as errors_bp
    from app.health import bp as health_bp
    from app.patient import bp as patient_bp
    from app.pwa import bp as pwa_bp
    from app.therapist import bp as therapist_bp

    for blueprint in (auth_bp, errors_bp, health_bp, patient_bp, pwa_bp, therapist_bp, admin_bp):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from app.errors.handlers import register

    register(app)


def register_commands(app: Flask) -> None:
    from app.cli import register

    register(app)


def register_security(app: Flask) -> None:
    from app.security import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from app.templating import register

    register(app)
