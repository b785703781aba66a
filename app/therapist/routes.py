"""The therapist's patient list: who they treat, where each one is, and open warnings."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import render_template, request
from flask_login import current_user

from app import audit
from app.auth.session import role_required
from app.care.protocol import clinic_today, position_on
from app.clinic_settings import current_settings
from app.extensions import db
from app.models import Alert, DailyLog, Role, Treatment, User
from app.therapist import bp

PAGE_SIZE = 25


@bp.get("/")
@role_required(Role.THERAPIST)
def home() -> str:
    """One query for the page of patients, one for their last logs, one for open alerts."""
    today = clinic_today(datetime.now(UTC), current_settings().timezone)
    page = db.paginate(
        sa.select(Treatment).join(User, Treatment.patient_id == User.id)
        .where(Treatment.therapist_id == current_user.id, Treatment.status == "active",
               User.active.is_(True))
        .options(sa.orm.contains_eager(Treatment.patient)).order_by(User.full_name),
        page=max(request.args.get("page", 1, type=int), 1), per_page=PAGE_SIZE, error_out=False)
    patient_ids = [t.patient_id for t in page.items]
    last_logs = dict(db.session.execute(
        sa.select(DailyLog.patient_id, sa.func.max(DailyLog.day))
        .where(DailyLog.patient_id.in_(patient_ids)).group_by(DailyLog.patient_id)).all())
    open_alerts = dict(db.session.execute(
        sa.select(Alert.patient_id, sa.func.count()).where(
            Alert.patient_id.in_(patient_ids), Alert.acknowledged_at.is_(None))
        .group_by(Alert.patient_id)).all())
    rows = [{"treatment": t, "position": position_on(today, t.injection_date),
             "last_log": last_logs.get(t.patient_id), "open_alerts": open_alerts.get(t.patient_id, 0)}
            for t in page.items]
    audit.record("view_patient_list", detail=f"page={page.page} patients={len(rows)}")
    db.session.commit()
    return render_template("therapist/home.html", page=page, rows=rows, today=today)
