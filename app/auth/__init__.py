"""Signing in and out, and sending each role to its own home."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import connected_apps, language, passkeys, reminders, routes  # noqa: E402,F401
