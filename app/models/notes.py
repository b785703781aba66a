"""Short dated clinical notes staff keep about a patient (never shown to the patient)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, utcnow
from app.models.users import User

CLINICAL_NOTE_MAX_LENGTH = 1000


class ClinicalNote(Model):
    __tablename__ = "clinical_notes"
    __table_args__ = (
        CheckConstraint(f"length(body) BETWEEN 1 AND {CLINICAL_NOTE_MAX_LENGTH}", name="body_length"),
        Index("ix_clinical_notes_patient_created", "patient_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(String(CLINICAL_NOTE_MAX_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined")
