"""The patient's own pages: Today, the daily log, exercises and history."""

from flask import Blueprint

bp = Blueprint("patient", __name__)

from app.patient import consent, routes  # noqa: E402,F401
