"""The regular medicines a patient lists at evaluation, and a clinician's review of the plan they
need before the injection (a blood thinner: a plan with its prescriber). Both on the audit trail."""

from __future__ import annotations

from app.care.medicines import finding_keys, review_findings
from app.models import Treatment, User
from app.models.base import utcnow
from app.services import audit


def findings_words(medicines: str) -> str:
    found = review_findings(medicines)
    return (
        "; ".join(f"{finding.kind.label}: {', '.join(finding.names)}" for finding in found)
        or "nothing to plan around"
    )


def save_list(treatment: Treatment, medicines: str) -> bool:
    """Store the patient's list; True when what it names changed so a review given before no
    longer stands (it is cleared: a new blood thinner needs its own plan)."""
    before = finding_keys(treatment.regular_medicines) if treatment.medicines_listed_at else None
    treatment.regular_medicines = medicines
    treatment.medicines_listed_at = utcnow()
    changed = before is not None and before != finding_keys(medicines)
    if changed and treatment.medicines_reviewed_at is not None:
        treatment.medicines_reviewed_at = None
        treatment.medicines_reviewed_by_id = None
        treatment.medicines_review_note = ""
    audit.record(
        "medicines_update",
        patient_id=treatment.patient_id,
        detail=f"Regular medicines listed ({len(medicines.splitlines())} lines): {findings_words(medicines)}",
    )
    return changed


def confirm_plan(treatment: Treatment, clinician: User, note: str) -> bool:
    """A clinician confirms the plan for the flagged medicines; False when one stands already."""
    if treatment.medicines_reviewed_at is not None:
        return False
    treatment.medicines_reviewed_at = utcnow()
    treatment.medicines_reviewed_by_id = clinician.id
    treatment.medicines_review_note = note
    detail = f"Medicine plan confirmed for {findings_words(treatment.regular_medicines)}"
    audit.record(
        "medicines_review",
        patient_id=treatment.patient_id,
        detail=(detail + (f": {note}" if note else ""))[:500],
    )
    return True
