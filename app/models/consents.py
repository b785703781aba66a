"""The patient's confirmation that they read the "Before your injection" page."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, sql_in, utcnow
from app.models.users import User

CONSENT_WAYS = ("online", "in_clinic")  # the patient ticked the box themself, or staff recorded it


class ProcedureConsent(Model):
    """A confirmation of one version of the words: which words were read (their version, in which
    language), when, and how: by the patient online, or recorded in clinic by a member of staff
    (who). When the words change the patient confirms again: a treatment keeps every confirmation,
    the one in force is the latest if it names the words shown now
    (app/services/treatment/consent.py)."""

    __tablename__ = "procedure_consents"
    __table_args__ = (CheckConstraint(sql_in("how", CONSENT_WAYS), name="how_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    treatment_id: Mapped[int] = mapped_column(ForeignKey("treatments.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text_version: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    showed_lung_risk: Mapped[bool]  # a mid-back injection: the collapsed-lung risk was on the page
    how: Mapped[str] = mapped_column(String(16))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # the patient, or staff
    consented_at: Mapped[datetime] = mapped_column(default=utcnow)

    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id], lazy="joined")
