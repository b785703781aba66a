"""Who a token may see, by the app's own rules: a patient only themself; an admin every patient;
a therapist the patients whose current treatment is theirs (the order that picks the current one
is app/services/treatment/treatments.current_first, the rule the staff pages use); a backend
system every patient. As a SQL subquery, so a search filters and pages in the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from app.extensions import db
from app.models import ApiClient, ApiToken, Role, Treatment, User
from app.services.api.scopes import Scopes
from app.services.treatment.treatments import current_first


@dataclass(frozen=True)
class Reader:
    """The caller behind one access token."""

    token: ApiToken
    client: ApiClient
    user: User | None
    scopes: Scopes

    @property
    def contexts(self) -> tuple[str, ...]:
        """Which scope prefixes count for this caller: a backend `system/`; a patient both
        `patient/` and `user/` (their own data either way); staff `user/`."""
        if self.user is None:
            return ("system",)
        if self.user.role == Role.PATIENT.value:
            return ("patient", "user")
        return ("user",)

    def allows(self, resource_type: str, interaction: str) -> bool:
        return any(self.scopes.allows(context, resource_type, interaction) for context in self.contexts)

    @property
    def sees_every_patient(self) -> bool:
        return self.user is None or self.user.role == Role.ADMIN.value

    def actor_id(self) -> int | None:
        return self.user.id if self.user else None


def current_therapist_of(
    patient_id: sa.ColumnElement[int] | sa.orm.InstrumentedAttribute[int],
) -> sa.ScalarSelect[int | None]:
    """The therapist of a patient's current treatment, as a correlated subquery."""
    return (
        sa.select(Treatment.therapist_id)
        .where(Treatment.patient_id == patient_id)
        .order_by(*current_first())
        .limit(1)
        .scalar_subquery()
    )


def visible_patients(reader: Reader) -> sa.ColumnElement[bool]:
    """A condition on `User` naming the patients this caller may see."""
    is_patient = User.role == Role.PATIENT.value
    if reader.sees_every_patient:
        return is_patient
    assert reader.user is not None
    if reader.user.role == Role.PATIENT.value:
        return is_patient & (User.id == reader.user.id)
    return is_patient & (current_therapist_of(User.id) == reader.user.id)


def visible_patient_ids(reader: Reader) -> sa.Select[Any]:
    return sa.select(User.id).where(visible_patients(reader))


def may_see_patient(reader: Reader, patient_id: int) -> bool:
    return (
        db.session.scalar(sa.select(User.id).where(User.id == patient_id, visible_patients(reader)))
        is not None
    )
