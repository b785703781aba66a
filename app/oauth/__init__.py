"""The OAuth 2 endpoints of SMART on FHIR: authorize (the person signs in as usual, then approves
or denies the app on a consent screen), token, revoke and introspect (app/services/api/oauth.py)."""

from flask import Blueprint

bp = Blueprint("oauth", __name__, url_prefix="/oauth")

from app.oauth import routes  # noqa: E402,F401
