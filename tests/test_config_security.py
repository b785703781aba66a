"""Configuration, security headers and the no-inline-code rule."""

import re
from pathlib import Path

import pytest

from app import create_app
from app.config import HTMX_CDN_SRI, HTMX_CDN_URL, normalize_database_url
from app.extensions import db
from tests.conftest import TEST_AUDIT_KEY, TEST_SECRET, config_for_tests, text_of
from tests.factories import make_user

TEMPLATES = Path(__file__).resolve().parent.parent / "app" / "templates"


@pytest.mark.parametrize("secret", [None, "", "change-me", "too-short"])
def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch, tmp_path, secret):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="Refusing to start: set SECRET_KEY"):
        create_app({"SECRET_KEY": secret, "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"})


def test_development_makes_and_keeps_its_own_key(tmp_path):
    config = {"BACKTRACK_ENV": "development", "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}
    first, second = create_app(config), create_app(config)
    assert len(first.config["SECRET_KEY"]) >= 32
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]


def test_environment_variables_configure_the_app(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("AUDIT_KEY", TEST_AUDIT_KEY)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite3")
    monkeypatch.setenv("CLINIC_TIMEZONE", "America/Chicago")
    monkeypatch.setenv("CLINIC_PHONE", "+1 312 555 0100")
    monkeypatch.setenv("BACKTRACK_NSAID_DAYS_AFTER", "10")
    app = create_app()
    assert app.config["CLINIC_TIMEZONE"] == "America/Chicago"
    assert app.config["CLINIC_PHONE"] == "+1 312 555 0100"
    assert app.config["NSAID_DAYS_AFTER"] == 10
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite3")


def test_htmx_comes_from_the_cdn_with_sri_by_default(tmp_path):
    app = create_app(
        {
            "SECRET_KEY": TEST_SECRET,
            "AUDIT_KEY": TEST_AUDIT_KEY,
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        }
    )
    assert app.config["HTMX_URL"] == HTMX_CDN_URL
    assert app.config["HTMX_SRI"] == HTMX_CDN_SRI
    response = app.test_client().get("/sign-in")
    html = response.get_data(as_text=True)
    assert f'<script src="{HTMX_CDN_URL}" integrity="{HTMX_CDN_SRI}" crossorigin="anonymous"' in html
    assert "script-src 'self' https://cdn.jsdelivr.net;" in response.headers["Content-Security-Policy"]


def test_htmx_url_replaces_the_cdn_and_drops_the_sri(client):
    response = client.get("/sign-in")
    html = response.get_data(as_text=True)
    assert '<script src="/static/vendor/htmx.min.js"  defer>' in html
    assert "integrity" not in html
    assert "script-src 'self';" in response.headers["Content-Security-Policy"]


def test_htmx_sri_can_be_set_with_a_local_url(tmp_path):
    app = create_app(
        {
            "SECRET_KEY": TEST_SECRET,
            "AUDIT_KEY": TEST_AUDIT_KEY,
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
            "HTMX_URL": "/static/vendor/htmx.min.js",
            "HTMX_SRI": "sha384-abc",
        }
    )
    assert 'integrity="sha384-abc"' in app.test_client().get("/sign-in").get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql+psycopg://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_urls_use_psycopg_3(url, expected):
    assert normalize_database_url(url) == expected


@pytest.mark.parametrize("path", ["/sign-in", "/healthz", "/no-such-page"])
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_pages_with_health_data_are_never_cached(client, auth):
    auth.login(make_user().email)
    assert client.get("/today").headers["Cache-Control"] == "no-store"


def test_session_cookie_is_http_only_and_same_site(client):
    make_user(email="cookie@example.com")
    from tests.conftest import Auth

    response = Auth(client).login("cookie@example.com")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_cookies_are_secure(tmp_path):
    app = create_app(
        {
            "SECRET_KEY": TEST_SECRET,
            "AUDIT_KEY": TEST_AUDIT_KEY,
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert "Strict-Transport-Security" in app.test_client().get("/sign-in").headers


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_templates_hold_no_inline_code(template):
    html = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert not re.search(r"\sstyle\s*=", html), "inline style"
    assert "<style" not in html


def test_healthz_touches_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"


def test_unknown_pages_get_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "We could not find that page" in text_of(response, 404)


def test_oversized_requests_are_refused_cleanly(client):
    response = client.post("/sign-in", data={"note": "x" * 70_000})
    assert response.status_code == 413
    assert "That was too much to send" in text_of(response, 413)


def test_an_unexpected_error_is_a_friendly_500_not_a_trace(database_url):
    app = create_app(config_for_tests(database_url) | {"TESTING": False})

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = app.test_client().get("/boom")
    with app.app_context():
        db.engine.dispose()
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    assert "kaboom" not in response.get_data(as_text=True)


@pytest.mark.parametrize(("proxies", "recorded"), [(1, "203.0.113.9"), (None, "127.0.0.1")])
def test_the_client_address_comes_from_the_proxy_only_when_configured(app, database_url, proxies, recorded):
    """The audit trail and the per-address sign-in brake use this address: behind one proxy it is
    X-Forwarded-For; without a configured proxy the header is ignored, so nobody can spoof it."""
    import sqlalchemy as sa

    from app.models import AuditEvent
    from tests.conftest import csrf_token

    behind_proxy = create_app(config_for_tests(database_url) | {"PROXY_FIX_X_FOR": proxies})
    client = behind_proxy.test_client()
    headers = {"X-Forwarded-For": "203.0.113.9"}
    token = csrf_token(client.get("/sign-in", headers=headers))
    client.post(
        "/sign-in",
        headers=headers,
        data={"csrf_token": token, "email": "nobody@example.com", "password": "a wrong password"},
    )
    with behind_proxy.app_context():
        db.engine.dispose()
    db.session.expire_all()
    assert db.session.scalars(sa.select(AuditEvent.ip_address)).all() == [recorded]
