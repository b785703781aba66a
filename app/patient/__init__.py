"""The patient's own pages: Today, the daily log, exercises, history and the Learn page."""

from flask import Blueprint

bp = Blueprint("patient", __name__)

from app.patient import consent, learn, routes  # noqa: E402,F401
