"""The audit trail: who did what to whose record, when, from where. Append-only, hash-chained.

Each row carries the previous row's hash (`prev_hash`, 64 zeros for the first row) and its own
(`row_hash`: HMAC-SHA-256 of the row's canonical form with the audit key `key_id` names, or plain
SHA-256 for rows written before the key, see app/services/audit/chain.py), so an edited, deleted
or inserted row breaks the chain and `flask --app wsgi audit verify` names it. Triggers
(migration 0012) make the database refuse UPDATE and DELETE on these rows. `prev_hash` is unique:
two rows can never claim the same predecessor, so the chain cannot fork even if writers raced.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, utcnow
from app.models.users import User

HASH_LENGTH = 64  # SHA-256 in hex
KEY_ID_LENGTH = 16  # app/services/audit/keys.py


class AuditEvent(Model):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_at", "at"),
        Index("ix_audit_events_patient_at", "patient_id", "at"),
        Index("ix_audit_events_actor_at", "actor_id", "at"),
        Index("ix_audit_events_action_at", "action", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60))
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    detail: Mapped[str] = mapped_column(String(500), default="")
    # Set when the row is written (app/services/audit/chain.py), never by hand.
    prev_hash: Mapped[str] = mapped_column(String(HASH_LENGTH), unique=True)
    row_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    key_id: Mapped[str | None] = mapped_column(String(KEY_ID_LENGTH))  # NULL: chained before the audit key

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], viewonly=True)
    patient: Mapped[User | None] = relationship(foreign_keys=[patient_id], viewonly=True)
