"""Clinical notes: staff-only words on a patient's record, put on the audit trail as they are
written."""

from __future__ import annotations

from app.extensions import db
from app.models import ClinicalNote, User
from app.services import audit


def add_note(patient: User, author: User, body: str) -> None:
    db.session.add(ClinicalNote(patient_id=patient.id, author_id=author.id, body=body))
    audit.record("note_add", patient_id=patient.id)
