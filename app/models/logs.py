"""What a patient records each day, and the alerts it raises for staff."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.care.content import HELP_ANSWERS, RED_FLAG_KEYS, URGENCY_KEYS
from app.care.medication import STORED_ANSWERS, answers_of
from app.care.warnings import SOURCES
from app.models.base import Model, sql_in, utcnow
from app.models.users import User

NOTE_MAX_LENGTH = 500
OTHER_MEDICINE_MAX_LENGTH = 100
QUOTE_MAX_LENGTH = 500


class DailyLog(Model):
    """One entry per patient per clinic day; warning-symptom answers are stored on the entry."""

    __tablename__ = "daily_logs"
    __table_args__ = (
        UniqueConstraint("patient_id", "day", name="uq_daily_logs_patient_day"),
        CheckConstraint("back_pain BETWEEN 0 AND 10", name="back_pain_range"),
        CheckConstraint("leg_pain BETWEEN 0 AND 10", name="leg_pain_range"),
        CheckConstraint(sql_in("medication", STORED_ANSWERS), name="medication_known"),
        CheckConstraint(f"length(note) <= {NOTE_MAX_LENGTH}", name="note_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    treatment_id: Mapped[int | None] = mapped_column(ForeignKey("treatments.id"))
    day: Mapped[date]
    back_pain: Mapped[int]
    leg_pain: Mapped[int | None]
    # The medicine answers ticked, comma-separated in the order asked ("none" alone); see
    # app/care/medication.py. `nsaid`: an anti-inflammatory, ticked or named as the other medicine.
    medication: Mapped[str] = mapped_column(String(60), default="none")
    other_medicine: Mapped[str] = mapped_column(
        String(OTHER_MEDICINE_MAX_LENGTH), default="", server_default=""
    )
    nsaid: Mapped[bool] = mapped_column(default=False, server_default=false())
    note: Mapped[str] = mapped_column(String(NOTE_MAX_LENGTH), default="")
    saddle_numbness: Mapped[bool] = mapped_column(default=False)
    bladder_bowel: Mapped[bool] = mapped_column(default=False, server_default=false())
    leg_weakness: Mapped[bool] = mapped_column(default=False)
    chest_symptoms: Mapped[bool] = mapped_column(default=False, server_default=false())
    fever: Mapped[bool] = mapped_column(default=False)
    injection_site: Mapped[bool] = mapped_column(default=False)
    positional_headache: Mapped[bool] = mapped_column(default=False)
    allergic_reaction: Mapped[bool] = mapped_column(default=False, server_default=false())
    headache_fever: Mapped[bool] = mapped_column(default=False, server_default=false())
    fever_back_pain: Mapped[bool] = mapped_column(default=False, server_default=false())
    bleeding: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Bumped on every save; a form (or a log queued offline) carries the version it was based on,
    # so an older copy can never overwrite a newer entry.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    patient: Mapped[User] = relationship(foreign_keys=[patient_id])
    # Loaded with the entry where a page needs them (services.daily_logs), never changed through it.
    alerts: Mapped[list[Alert]] = relationship(viewonly=True, order_by="Alert.id")

    @property
    def red_flags(self) -> list[str]:
        """The warning symptoms answered "yes", in the order they are asked."""
        return [key for key in RED_FLAG_KEYS if getattr(self, key)]

    @property
    def medicines(self) -> tuple[str, ...]:
        """The medicine answers ticked ("none" alone when none)."""
        return answers_of(self.medication)


class Alert(Model):
    """A warning sign that staff must see until someone acknowledges it: ticked on a daily log,
    read in the patient's words (a note or a message, `quote`), or worked out from pain scores.
    A log raises one per sign (edits do not repeat it); a sign already open for the patient is not
    raised twice (app/services/safety/alerts.py)."""

    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint(sql_in("urgency", URGENCY_KEYS), name="urgency_known"),
        CheckConstraint(sql_in("source", SOURCES), name="source_known"),
        CheckConstraint(sql_in("help_answer", tuple(HELP_ANSWERS)), name="help_answer_known"),
        UniqueConstraint("daily_log_id", "symptom", name="uq_alerts_daily_log_symptom"),
        Index("ix_alerts_patient_open", "patient_id", "acknowledged_at"),
        Index("ix_alerts_open_raised", "acknowledged_at", "raised_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    daily_log_id: Mapped[int | None] = mapped_column(ForeignKey("daily_logs.id"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    day: Mapped[date]
    symptom: Mapped[str] = mapped_column(String(40))
    urgency: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(10), default="ticked", server_default="ticked")
    quote: Mapped[str] = mapped_column(String(QUOTE_MAX_LENGTH), default="", server_default="")
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledgement_note: Mapped[str] = mapped_column(String(500), default="")
    # The patient's answer to "Did you get help?" on Today (went, called, not yet).
    help_answer: Mapped[str | None] = mapped_column(String(10))
    help_answered_at: Mapped[datetime | None]

    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])
    patient: Mapped[User] = relationship(foreign_keys=[patient_id], viewonly=True)
    notices: Mapped[list[AlertNotice]] = relationship(viewonly=True, order_by="AlertNotice.step")

    @property
    def in_words(self) -> bool:
        return self.source == "words"


class AlertNotice(Model):
    """One step of telling staff about an alert (0: the responsible clinician, 1: the on-call
    clinician, 2: the admins; app/care/escalation.py). The unique row is claimed before anything
    is sent, as a reminder is, so two hosts running the job never both send it; a failed channel is
    tried again while `done_at` is empty. `told` says who was told and how, for the alert queue."""

    __tablename__ = "alert_notices"
    __table_args__ = (
        UniqueConstraint("alert_id", "step", name="uq_alert_notices_alert_step"),
        CheckConstraint("step BETWEEN 0 AND 2", name="step_range"),
        Index("ix_alert_notices_done_at", "done_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    step: Mapped[int]
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=1)
    done_at: Mapped[datetime | None]
    told: Mapped[str] = mapped_column(String(500), default="")
    nobody: Mapped[bool] = mapped_column(default=False)  # nobody to tell at this step
    last_error: Mapped[str] = mapped_column(String(500), default="")


class LogSubmission(Model):
    """One save of the daily log form, by its idempotency key: a replay (an offline queue sending
    again, a double tap) finds its key here and gets the stored result instead of a second save."""

    __tablename__ = "log_submissions"
    __table_args__ = (UniqueConstraint("patient_id", "key", name="uq_log_submissions_patient_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(64))
    # What was saved with this key: the same key with other answers is not a replay.
    answers_hash: Mapped[str | None] = mapped_column(String(64))
    daily_log_id: Mapped[int] = mapped_column(ForeignKey("daily_logs.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
