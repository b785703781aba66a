"""Staff acknowledging a warning sign: once, with an optional note, on the audit trail."""

from __future__ import annotations

from app.care.content import ALL_ALERT_FLAGS
from app.models import Alert, User
from app.models.base import utcnow
from app.services import audit
from app.services.audit import day_words


def acknowledge(alert: Alert, staff: User, note: str) -> bool:
    """False when someone acknowledged it already (their note and time stand)."""
    if alert.acknowledged_at is not None:
        return False
    alert.acknowledged_at, alert.acknowledged_by_id = utcnow(), staff.id
    alert.acknowledgement_note = note
    detail = f"“{ALL_ALERT_FLAGS[alert.symptom].question}”, reported {day_words(alert.day)}"
    audit.record("acknowledge_alert", patient_id=alert.patient_id, detail=detail)
    return True
