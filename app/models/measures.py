"""Questionnaire answers (PEG, PSFS, PGIC), each kept with its date and every item."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.care.measures import KINDS, PSFS_LABEL_MAX, label_key
from app.models.base import Model, sql_in, utcnow

ACTIVITY_KEY_MAX = 3 * PSFS_LABEL_MAX  # case folding can lengthen a letter to three ("ﬃ" → "ffi")


def activity_key_of(context: DefaultExecutionContext) -> str:
    return label_key(context.get_current_parameters()["label"])


class QuestionnaireResponse(Model):
    """One answered round of one questionnaire (week 0 = before the injection). Answering the
    same round again replaces its items."""

    __tablename__ = "questionnaire_responses"
    __table_args__ = (
        CheckConstraint(sql_in("kind", KINDS), name="kind_known"),
        CheckConstraint("week BETWEEN 0 AND 520", name="week_range"),
        UniqueConstraint("treatment_id", "kind", "week", name="uq_questionnaire_responses_round"),
        Index("ix_questionnaire_responses_patient_day", "patient_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    treatment_id: Mapped[int] = mapped_column(ForeignKey("treatments.id"))
    kind: Mapped[str] = mapped_column(String(8))
    week: Mapped[int]
    day: Mapped[date]  # the clinic day it was answered
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    items: Mapped[list[QuestionnaireItem]] = relationship(
        back_populates="response",
        cascade="all, delete-orphan",
        order_by="QuestionnaireItem.position",
    )

    def values(self) -> dict[str, int]:
        return {item.label: item.value for item in self.items}


class QuestionnaireItem(Model):
    """One answer: a PEG item, a PSFS activity (named by the patient) or the PGIC rating."""

    __tablename__ = "questionnaire_items"
    __table_args__ = (
        CheckConstraint("value BETWEEN 0 AND 10", name="value_range"),
        CheckConstraint(f"length(label) BETWEEN 1 AND {PSFS_LABEL_MAX}", name="label_length"),
        UniqueConstraint("response_id", "position", name="uq_questionnaire_items_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_responses.id", ondelete="CASCADE"))
    position: Mapped[int]
    label: Mapped[str] = mapped_column(String(PSFS_LABEL_MAX))
    value: Mapped[int]
    # The label as activities are matched across PSFS rounds (measures.label_key), stored so the
    # outcome figures can match them in SQL: set from the label when it is set, or by the insert.
    activity_key: Mapped[str] = mapped_column(String(ACTIVITY_KEY_MAX), default=activity_key_of)

    response: Mapped[QuestionnaireResponse] = relationship(back_populates="items")

    @validates("label")
    def keep_activity_key(self, _name: str, label: str) -> str:
        self.activity_key = label_key(label)
        return label
