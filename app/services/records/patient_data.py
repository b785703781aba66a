"""Everything the app holds about one patient, gathered in a fixed number of statements whatever
the amount of data: the source of the CSV zip, the FHIR bundle and the printable summary."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import (
    Alert,
    DailyLog,
    ExerciseTick,
    PlanItem,
    ProcedureConsent,
    QuestionnaireResponse,
    RtmSetup,
    TimeLogEntry,
    Treatment,
    User,
)
from app.services.clinic.settings import current_settings
from app.services.treatment.consent import in_force_among


@dataclass
class PatientData:
    patient: User
    treatments: list[Treatment]
    logs: list[DailyLog]
    plan: list[PlanItem]
    ticks: list[ExerciseTick]
    responses: list[QuestionnaireResponse]
    alerts: list[Alert]
    time_log: list[TimeLogEntry]
    setups: list[RtmSetup]
    consents: list[ProcedureConsent] = field(default_factory=list)  # each version confirmed
    consents_in_force: set[int] = field(default_factory=set)  # their ids: the ones in force

    def plan_item(self, item_id: int) -> PlanItem | None:
        if not hasattr(self, "_items"):
            self._items = {item.id: item for item in self.plan}
        return self._items.get(item_id)


def gather(patient: User) -> PatientData:
    """Everything about one patient: ten statements."""
    treatment_ids = sa.select(Treatment.id).where(Treatment.patient_id == patient.id)
    treatments = list(
        db.session.scalars(
            sa.select(Treatment)
            .where(Treatment.patient_id == patient.id)
            .options(joinedload(Treatment.therapist))
            .order_by(Treatment.evaluation_date)
        )
    )
    plan = list(
        db.session.scalars(
            sa.select(PlanItem)
            .where(PlanItem.treatment_id.in_(treatment_ids))
            .order_by(PlanItem.treatment_id, PlanItem.phase, PlanItem.position, PlanItem.id)
        )
    )
    consents = list(
        db.session.scalars(
            sa.select(ProcedureConsent)
            .where(ProcedureConsent.treatment_id.in_(treatment_ids))
            .order_by(ProcedureConsent.treatment_id, ProcedureConsent.consented_at, ProcedureConsent.id)
        )
    )
    return PatientData(
        patient=patient,
        treatments=treatments,
        logs=list(
            db.session.scalars(
                sa.select(DailyLog).where(DailyLog.patient_id == patient.id).order_by(DailyLog.day)
            )
        ),
        plan=plan,
        ticks=list(
            db.session.scalars(
                sa.select(ExerciseTick)
                .where(
                    ExerciseTick.plan_item_id.in_(
                        sa.select(PlanItem.id).where(PlanItem.treatment_id.in_(treatment_ids))
                    )
                )
                .order_by(ExerciseTick.day, ExerciseTick.plan_item_id)
            )
        ),
        responses=list(
            db.session.scalars(
                sa.select(QuestionnaireResponse)
                .where(QuestionnaireResponse.patient_id == patient.id)
                .options(selectinload(QuestionnaireResponse.items))
                .order_by(QuestionnaireResponse.day, QuestionnaireResponse.kind)
            )
        ),
        alerts=list(
            db.session.scalars(
                sa.select(Alert).where(Alert.patient_id == patient.id).order_by(Alert.raised_at)
            )
        ),
        time_log=list(
            db.session.scalars(
                sa.select(TimeLogEntry)
                .where(TimeLogEntry.patient_id == patient.id)
                .order_by(TimeLogEntry.day)
            )
        ),
        setups=list(db.session.scalars(sa.select(RtmSetup).where(RtmSetup.treatment_id.in_(treatment_ids)))),
        consents=consents,
        consents_in_force=in_force_among(consents, treatments, current_settings()),
    )
