"""Between visits: passkeys, reminders (the patient's choices, push subscriptions and the sends
claimed by `send-reminders`) and the message thread between a patient and their care team."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.care.reminders import DEFAULT_DAILY_LOG_AT, DEFAULT_QUIET_FROM, DEFAULT_QUIET_UNTIL
from app.models.base import Model, sql_in, utcnow
from app.models.users import User

PASSKEY_NAME_MAX_LENGTH = 60
MESSAGE_MAX_LENGTH = 2000
CHALLENGE_PURPOSES = ("register", "sign_in")


class Passkey(Model):
    """A WebAuthn credential: sign in with the phone's face, fingerprint or screen lock."""

    __tablename__ = "passkeys"
    __table_args__ = (Index("ix_passkeys_user_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    credential_id: Mapped[str] = mapped_column(String(400), unique=True)  # base64url
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(PASSKEY_NAME_MAX_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class WebAuthnChallenge(Model):
    """A challenge handed to a browser: used once, within minutes, then deleted."""

    __tablename__ = "webauthn_challenges"
    __table_args__ = (
        CheckConstraint(sql_in("purpose", CHALLENGE_PURPOSES), name="purpose_known"),
        Index("ix_webauthn_challenges_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge: Mapped[str] = mapped_column(String(100), unique=True)  # base64url
    purpose: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime]


class ReminderPreference(Model):
    """What one person chose about reminders. No row: reminders off, the defaults below."""

    __tablename__ = "reminder_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    by_email: Mapped[bool] = mapped_column(default=False)
    by_push: Mapped[bool] = mapped_column(default=False)
    daily_log_at: Mapped[time] = mapped_column(default=DEFAULT_DAILY_LOG_AT)
    quiet_from: Mapped[time] = mapped_column(default=DEFAULT_QUIET_FROM)
    quiet_until: Mapped[time] = mapped_column(default=DEFAULT_QUIET_UNTIL)
    timezone: Mapped[str | None] = mapped_column(String(64))  # None: the clinic's
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def any_channel(self) -> bool:
        return self.by_email or self.by_push


class PushSubscription(Model):
    """A browser's web push endpoint and keys (RFC 8030/8291); removed when the service says 404/410."""

    __tablename__ = "push_subscriptions"
    __table_args__ = (Index("ix_push_subscriptions_user_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderSend(Model):
    """One reminder of one kind for one person on one of their days. The unique row is claimed
    before anything is sent, so two `send-reminders` runs on two hosts never both send it; a
    channel that failed is tried again by a later run while `done_at` is empty."""

    __tablename__ = "reminder_sends"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "day", name="uq_reminder_sends_user_kind_day"),
        Index("ix_reminder_sends_done_at", "done_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    day: Mapped[date]
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime]  # another run may take it over after this
    attempts: Mapped[int] = mapped_column(default=0)
    email_sent_at: Mapped[datetime | None]
    push_sent_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(String(500), default="")


class Message(Model):
    """One message in a patient's thread with their care team (`patient_id` names the thread)."""

    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint(f"length(body) BETWEEN 1 AND {MESSAGE_MAX_LENGTH}", name="body_length"),
        Index("ix_messages_patient_created", "patient_id", "created_at"),
        Index("ix_messages_patient_unread", "patient_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(String(MESSAGE_MAX_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]  # when the other side first saw it

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined")

    @property
    def from_patient(self) -> bool:
        return self.author_id == self.patient_id
