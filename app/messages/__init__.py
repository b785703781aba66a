"""Messages between a patient and their care team: the patient's thread and staff's view of it."""

from flask import Blueprint

bp = Blueprint("messages", __name__)

from app.messages import routes  # noqa: E402,F401
