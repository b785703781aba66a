"""The installable app: web manifest, service worker, offline page, and a fresh CSRF token for
daily logs that were kept on the phone while offline."""

from flask import Blueprint

bp = Blueprint("pwa", __name__)

from app.pwa import routes  # noqa: E402,F401
