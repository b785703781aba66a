"""Response headers that hold from the first page: a strict Content-Security-Policy (scripts only
from 'self' and the htmx origin, no inline code anywhere), no framing, no sniffing."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, Response, abort, request

from app.care import content


def script_sources(htmx_url: str) -> str:
    """'self' plus the origin htmx is loaded from, when that is another origin."""
    parts = urlsplit(htmx_url)
    if parts.scheme and parts.netloc:
        return f"'self' {parts.scheme}://{parts.netloc}"
    return "'self'"


def content_security_policy(htmx_url: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script_sources(htmx_url)}",
            "style-src 'self'",
            "img-src 'self' data:",
            f"connect-src {script_sources(htmx_url)}",  # the service worker caches htmx
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "manifest-src 'self'",
            "worker-src 'self'",
        ]
    )


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
UNUSUAL_ADDRESS = content.UNUSUAL_ADDRESS  # shown in the reader's language by the error page


def refuse_control_characters_in_the_address() -> None:
    """No path or query parameter here ever holds a control character: refuse it before any view
    or query sees it (a NUL byte makes PostgreSQL fail outright)."""
    values = [request.path, *(text for key, items in request.args.lists() for text in (key, *items))]
    if any(CONTROL_CHARACTERS.search(value) for value in values):
        abort(400, UNUSUAL_ADDRESS)


def register(app: Flask) -> None:
    policy = content_security_policy(app.config["HTMX_URL"])
    app.before_request(refuse_control_characters_in_the_address)

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if response.mimetype == "text/html" and not getattr(response, "teaching_material", False):
            # Pages hold health data: never keep them in a shared or browser cache.
            response.headers["Cache-Control"] = "no-store"
        return response


def revalidated_teaching_material(response: Response) -> Response:
    """An HTML answer that holds the clinic's teaching material and nobody's data (how to do an
    exercise): the browser may keep it and ask each time whether it changed (ETag), instead of
    the no-store of every page. Signing out clears it with the rest (Clear-Site-Data)."""
    response.teaching_material = True  # type: ignore[attr-defined]
    response.headers["Cache-Control"] = "private, no-cache"
    response.add_etag()
    return response


def is_safe_next(target: str | None) -> bool:
    """A redirect target after sign-in or an action: only a path on this site, no scheme, no
    host, no `//` or backslash tricks (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
