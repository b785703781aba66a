"""File downloads: named, never cached (they hold someone's data)."""

from __future__ import annotations

import json

from flask import Response

from app.extensions import db
from app.models import User
from app.services import audit
from app.services.clinic.languages import speaking
from app.services.records.csv_export import csv_files, zip_bytes
from app.services.records.fhir_export import fhir_bundle
from app.services.records.patient_data import gather


def attachment(body: bytes | str, mimetype: str, filename: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def patient_export(patient: User, kind: str, action: str) -> Response:
    """A patient's data as a CSV zip (`kind` "zip") or a FHIR bundle ("fhir"), audited as `action`
    (the patient's own download, or staff's)."""
    data = gather(patient)
    if kind == "zip":
        with speaking(patient):  # the patient's language, whoever downloads it
            body, mimetype, name = zip_bytes(csv_files(data)), "application/zip", "zip"
    else:
        body = json.dumps(fhir_bundle(data), indent=1).encode()
        mimetype, name = "application/fhir+json", "fhir.json"
    audit.record(action, patient_id=patient.id, detail="csv zip" if kind == "zip" else "fhir bundle")
    db.session.commit()
    return attachment(body, mimetype, f"backtrack-patient-{patient.id}.{name}")
