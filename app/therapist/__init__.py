"""The therapist's pages: their own patients only."""

from flask import Blueprint

bp = Blueprint("therapist", __name__, url_prefix="/therapist")

from app.therapist import consent, plan_parts, routes  # noqa: E402,F401
