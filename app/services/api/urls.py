"""Where the API lives, as the outside world reaches it: `PUBLIC_URL` when set (the same on every
host), else the request's own address."""

from __future__ import annotations

from flask import current_app, has_request_context, request

LOCAL_FALLBACK = "http://localhost:5000"


def site_root() -> str:
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return str(configured).rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return LOCAL_FALLBACK


def fhir_base() -> str:
    return f"{site_root()}/fhir"


def token_url() -> str:
    return f"{site_root()}/oauth/token"


def authorize_url() -> str:
    return f"{site_root()}/oauth/authorize"
