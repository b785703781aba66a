"""A PRP course for one patient, the exercise library, the patient's plan and its ticks."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.care.content import LEG_PAIN_CONDITIONS, THORACIC_CONDITIONS, THORACIC_SITES, Dose
from app.care.dosing import Prescription
from app.care.feelings import FEELINGS
from app.care.medicines import Finding, needs_prescriber_plan, review_findings, takes_blood_thinner
from app.care.programmes import plan_for
from app.care.protocol import PHASE_KEYS
from app.models.base import Model, sql_in, utcnow
from app.models.exercise_versions import ExerciseVersion
from app.models.users import User

if TYPE_CHECKING:
    from app.models.consents import ProcedureConsent

TREATMENT_STATUSES = ("active", "completed", "cancelled")
MEDICINES_MAX_LENGTH = 1000
DOSE_FIELDS = ("sets", "reps", "hold_seconds", "minutes", "times_per_day", "days_per_week", "cue")


class Treatment(Model):
    """One PRP course. At most one per patient is active; its injection date is day 0."""

    __tablename__ = "treatments"
    __table_args__ = (
        CheckConstraint(sql_in("status", TREATMENT_STATUSES), name="status_known"),
        CheckConstraint("baseline_pain BETWEEN 0 AND 10", name="baseline_pain_range"),
        CheckConstraint("injection_date >= evaluation_date", name="injection_after_evaluation"),
        CheckConstraint("log_every_days IN (1, 7)", name="log_every_days_known"),
        CheckConstraint(
            "directional_preference IN ('extension', 'flexion')", name="directional_preference_known"
        ),
        Index(
            "ix_treatments_one_active_per_patient",
            "patient_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
        Index("ix_treatments_therapist_status", "therapist_id", "status"),
        # A patient's treatments: every write of a log finds them to keep their summaries.
        Index("ix_treatments_patient", "patient_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    therapist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    evaluation_date: Mapped[date]
    injection_date: Mapped[date]
    condition: Mapped[str] = mapped_column(String(40))
    sites: Mapped[str] = mapped_column(String(200), default="")  # comma-separated site keys
    baseline_pain: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The medicines the patient takes most days, as they listed them at evaluation (one a line),
    # and a clinician's review of the plan they need (app/care/medicines.py finds what needs one).
    regular_medicines: Mapped[str] = mapped_column(
        String(MEDICINES_MAX_LENGTH), default="", server_default=""
    )
    medicines_listed_at: Mapped[datetime | None]
    medicines_reviewed_at: Mapped[datetime | None]
    medicines_reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    medicines_review_note: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # After week 12 the pain log is asked every 7 days, or every day if the patient chooses
    # (app/care/follow_up.py).
    log_every_days: Mapped[int] = mapped_column(default=7, server_default="7")
    # Programmes by condition (app/care/programmes.py): the direction the therapist chose, and the
    # surgeon's precautions they confirmed after back surgery.
    directional_preference: Mapped[str | None] = mapped_column(String(16))
    precautions_confirmed_at: Mapped[datetime | None]
    precautions_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    precautions_note: Mapped[str] = mapped_column(String(500), default="", server_default="")
    ended_on: Mapped[date | None]  # the clinic day it was marked completed or cancelled
    # Remote monitoring: the patient's consent; no code is reported before it (app/care/rtm.py).
    rtm_consent_on: Mapped[date | None]
    rtm_consent_how: Mapped[str | None] = mapped_column(String(16))
    rtm_consent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    patient: Mapped[User] = relationship(foreign_keys=[patient_id])
    therapist: Mapped[User | None] = relationship(foreign_keys=[therapist_id])
    medicines_reviewed_by: Mapped[User | None] = relationship(foreign_keys=[medicines_reviewed_by_id])
    precautions_confirmed_by: Mapped[User | None] = relationship(foreign_keys=[precautions_confirmed_by_id])
    rtm_consent_by: Mapped[User | None] = relationship(foreign_keys=[rtm_consent_by_id])
    # "Before your injection" read and confirmed, each version of its words once confirmed, oldest
    # first (app/services/treatment/consent.py says which one is in force); loaded when asked.
    procedure_consents: Mapped[list[ProcedureConsent]] = relationship(
        viewonly=True, order_by="(ProcedureConsent.consented_at, ProcedureConsent.id)"
    )

    @property
    def procedure_consent(self) -> ProcedureConsent | None:
        """The latest confirmation (of whichever version of the words)."""
        return self.procedure_consents[-1] if self.procedure_consents else None

    @property
    def site_keys(self) -> list[str]:
        return [key for key in self.sites.split(",") if key]

    @property
    def is_thoracic(self) -> bool:
        """The injection is in the mid back, near the lungs."""
        return self.condition in THORACIC_CONDITIONS or bool(THORACIC_SITES & set(self.site_keys))

    @property
    def medicine_findings(self) -> tuple[Finding, ...]:
        return review_findings(self.regular_medicines)

    @property
    def medicines_need_review(self) -> bool:
        """A listed medicine needs the physician's plan (a blood thinner: with its prescriber),
        and no clinician has confirmed one yet."""
        return self.medicines_reviewed_at is None and bool(self.medicine_findings)

    @property
    def needs_prescriber_plan(self) -> bool:
        return self.medicines_reviewed_at is None and needs_prescriber_plan(self.regular_medicines)

    @property
    def takes_blood_thinner(self) -> bool:
        return takes_blood_thinner(self.regular_medicines)

    @property
    def precautions_pending(self) -> bool:
        """After back surgery: the therapist has not yet confirmed the surgeon's precautions."""
        return plan_for(self.condition).needs_precautions and self.precautions_confirmed_at is None

    @property
    def into_the_disc(self) -> bool:
        return "disc" in self.site_keys

    @property
    def asks_leg_pain(self) -> bool:
        """Pain down the leg is tracked for the conditions where it is a main symptom."""
        return self.condition in LEG_PAIN_CONDITIONS


class Exercise(Model):
    """A library exercise. Its texts and default doses are numbered versions
    (app/models/exercise_versions.py); the built-in version 1 of an exercise that ships with the
    app reads its words from `app.care.content` under `slug`."""

    __tablename__ = "exercises"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)


class PlanItem(Model):
    """One exercise prescribed to one treatment for one phase, with its dose. Removed items keep
    their ticks (history) and are hidden by `removed_at`."""

    __tablename__ = "plan_items"
    __table_args__ = (
        CheckConstraint(sql_in("phase", PHASE_KEYS), name="phase_known"),
        CheckConstraint("days_per_week BETWEEN 1 AND 7", name="days_per_week_range"),
        Index("ix_plan_items_treatment_phase", "treatment_id", "phase"),
        # the few items whose answers are "it hurt more" in a row: the dashboard looks for them
        # on every patient (app/services/pages/caseload.py, hurting), and most patients have none
        Index(
            "ix_plan_items_hurt_runs",
            "treatment_id",
            sqlite_where=text("feeling_run = 'hurt'"),
            postgresql_where=text("feeling_run = 'hurt'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    treatment_id: Mapped[int] = mapped_column(ForeignKey("treatments.id", ondelete="CASCADE"))
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id"))
    # The signed version of the exercise's texts it was prescribed with; the therapist updates it
    # to a newer signed version (None only on an item written before versions existed).
    exercise_version_id: Mapped[int | None] = mapped_column(ForeignKey("exercise_versions.id"))
    phase: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(default=0)
    sets: Mapped[int | None]
    reps: Mapped[int | None]
    hold_seconds: Mapped[int | None]
    minutes: Mapped[int | None]
    times_per_day: Mapped[int | None]
    days_per_week: Mapped[int | None]  # None: every day
    cue: Mapped[str] = mapped_column(String(200), default="")
    removed_at: Mapped[datetime | None]
    # The run at the end of the patient's "how did that feel?" answers (app/care/feelings.py),
    # kept with each answer so the dashboard reads it with the plan, not every answer.
    feeling_run: Mapped[str | None] = mapped_column(String(8))
    feeling_run_length: Mapped[int] = mapped_column(default=0, server_default="0")
    feeling_run_day: Mapped[date | None]

    treatment: Mapped[Treatment] = relationship()
    exercise: Mapped[Exercise] = relationship(lazy="joined")
    exercise_version: Mapped[ExerciseVersion | None] = relationship(lazy="joined")

    @property
    def prescription(self) -> Prescription:
        return Prescription(self.phase, self.times_per_day, self.days_per_week)

    @property
    def dose(self) -> Dose:
        return Dose(**{name: getattr(self, name) for name in DOSE_FIELDS})

    @dose.setter
    def dose(self, dose: Dose) -> None:
        for name in DOSE_FIELDS:
            setattr(self, name, getattr(dose, name))


class ExerciseTick(Model):
    """The patient did one session of this plan item on this clinic day (an item prescribed twice
    a day has sessions 1 and 2)."""

    __tablename__ = "exercise_ticks"
    __table_args__ = (
        UniqueConstraint("plan_item_id", "day", "session", name="uq_exercise_ticks_item_day_session"),
        CheckConstraint("session BETWEEN 1 AND 10", name="session_range"),
        CheckConstraint(sql_in("feeling", FEELINGS), name="feeling_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_item_id: Mapped[int] = mapped_column(ForeignKey("plan_items.id", ondelete="CASCADE"))
    day: Mapped[date]
    session: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # "How did that feel?" for this session (app/care/feelings.py), once the patient answers; an
    # undone tick takes its answer with it.
    feeling: Mapped[str | None] = mapped_column(String(8))
    felt_at: Mapped[datetime | None]
