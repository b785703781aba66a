"""The FHIR R4 API (`/fhir`) and SMART's discovery document (docs/fhir.md). Every call carries a
bearer token from the OAuth endpoints in app/oauth; none reads the browser's session."""

from flask import Blueprint

bp = Blueprint("fhir", __name__, url_prefix="/fhir")
discovery = Blueprint("smart", __name__)

import app.fhir.bulk  # noqa: E402
import app.fhir.routes  # noqa: E402,F401
