"""Backtrack: a patient portal for PRP back-pain treatment and home physical therapy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import cli, config, database
from app.admin import bp as admin_bp
from app.auth import bp as auth_bp
from app.errors import bp as errors_bp
from app.errors import handlers as error_handlers
from app.extensions import csrf, db, login_manager, migrate
from app.fhir import bp as fhir_bp
from app.fhir import discovery as smart_discovery_bp
from app.messages import bp as messages_bp
from app.oauth import bp as oauth_bp
from app.patient import bp as patient_bp
from app.pwa import bp as pwa_bp
from app.services import summaries
from app.services.accounts import sessions
from app.services.audit import chain as audit_chain
from app.therapist import bp as therapist_bp
from app.web import bodies, htmx, i18n, page_context, security, templating
from app.web.health import bp as health_bp

BLUEPRINTS = (
    auth_bp,
    errors_bp,
    health_bp,
    patient_bp,
    pwa_bp,
    therapist_bp,
    admin_bp,
    messages_bp,
    fhir_bp,
    smart_discovery_bp,
    oauth_bp,
)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app in named steps; `overrides` (tests) win over every other source."""
    app = Flask(__name__, instance_relative_config=True)
    load_configuration(app, overrides)
    register_extensions(app)
    app.url_map.converters["int"] = database.DatabaseIdConverter  # huge ids: 404, not a 500
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    error_handlers.register(app)
    cli.register(app)
    security.register(app)
    bodies.register(app)
    htmx.register(app)
    i18n.register(app)
    templating.register(app)
    page_context.register(app)
    return app


def load_configuration(app: Flask, overrides: dict[str, Any] | None) -> None:
    app.config.from_mapping(config.default_settings(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(config.read_environment())
    app.config.from_prefixed_env("BACKTRACK")
    app.config.update(overrides or {})
    config.finalize(app.config, app.instance_path)
    if app.config.get("PROXY_FIX_X_FOR"):
        hops = int(app.config["PROXY_FIX_X_FOR"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=1)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(sessions.load)
    database.configure_engine(app)
    with app.app_context():
        audit_chain.register(db.engine)
        summaries.register()
