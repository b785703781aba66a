"""The FHIR API's side of the database: the apps and systems an admin registered, the codes and
tokens they were given (only hashes of them), the JWT ids already used, the per-client request
counts that rate limits read, and the bulk exports with their NDJSON files.

Everything a request needs lives here, in the one database, so any app host can answer any call:
a token issued by one host works on another, a replayed assertion is refused everywhere, and an
export started on one host is carried on by whichever host is polled next."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, sql_in, utcnow
from app.models.users import User

CLIENT_KINDS = ("app", "backend")
EXPORT_STATUSES = ("queued", "running", "done", "failed", "cancelled")


class ApiClient(Model):
    """An app (a patient's or a staff member's, signing in through the browser with PKCE) or a
    backend system (the clinic's data warehouse, authenticating with a JWT signed by a key in its
    public key set). Registered by an admin; disabling it ends every token it holds."""

    __tablename__ = "api_clients"
    __table_args__ = (
        CheckConstraint(sql_in("kind", CLIENT_KINDS), name="kind_known"),
        CheckConstraint("requests_per_minute BETWEEN 1 AND 100000", name="rate_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    redirect_uris: Mapped[str] = mapped_column(Text, default="")  # one a line (apps)
    scopes: Mapped[str] = mapped_column(Text, default="")  # what it may be granted, space-separated
    jwks: Mapped[str] = mapped_column(Text, default="")  # its public key set, JSON (backends)
    requests_per_minute: Mapped[int] = mapped_column(default=300, server_default="300")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    disabled_at: Mapped[datetime | None]

    @property
    def redirect_uri_list(self) -> list[str]:
        return [line.strip() for line in self.redirect_uris.splitlines() if line.strip()]

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()


class AuthorizationCode(Model):
    """A code handed to an app's redirect URI after the person approved it: used once, within
    minutes, with the PKCE verifier that matches its challenge. A second use revokes the tokens
    the first one gave (RFC 6749 §4.1.2)."""

    __tablename__ = "oauth_codes"
    __table_args__ = (Index("ix_oauth_codes_expires_at", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the launch context
    redirect_uri: Mapped[str] = mapped_column(String(1000))
    scope: Mapped[str] = mapped_column(Text)
    code_challenge: Mapped[str] = mapped_column(String(128))
    code_challenge_method: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    client: Mapped[ApiClient] = relationship(lazy="joined")
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class ApiToken(Model):
    """An access token (short-lived) and, with `offline_access`, its refresh token. Both are kept
    only as SHA-256 hashes. A refresh gives a new row and revokes this one (rotation); every row
    of one approval shares `authorization_code_id`, so a replayed code or refresh token revokes
    the whole family."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        Index("ix_api_tokens_user_client", "user_id", "client_id", "revoked_at"),
        Index("ix_api_tokens_code", "authorization_code_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    authorization_code_id: Mapped[int | None] = mapped_column(
        ForeignKey("oauth_codes.id", ondelete="SET NULL")
    )
    scope: Mapped[str] = mapped_column(Text)
    access_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]  # the access token's end
    refresh_expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str] = mapped_column(String(60), default="")

    client: Mapped[ApiClient] = relationship(lazy="joined")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id], lazy="joined")


class UsedAssertion(Model):
    """A backend's signed JWT, by its `jti`, kept until it would have expired anyway: the unique
    row is what refuses a replay, on every host at once."""

    __tablename__ = "oauth_used_assertions"
    __table_args__ = (
        UniqueConstraint("client_id", "jti", name="uq_oauth_used_assertions_client_jti"),
        Index("ix_oauth_used_assertions_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id", ondelete="CASCADE"))
    jti: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime]


class RateWindow(Model):
    """How many API calls one client made in one minute. One row per client and minute, counted
    up with a single upsert, so several hosts share the limit."""

    __tablename__ = "api_rate_windows"
    __table_args__ = (
        UniqueConstraint("client_id", "window_start", name="uq_api_rate_windows_client_window"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id", ondelete="CASCADE"))
    window_start: Mapped[datetime]
    count: Mapped[int] = mapped_column(default=0)


class ExportJob(Model):
    """A Bulk Data `$export` of the clinic's patients for one backend client. Whichever app host
    is polled claims the job for a short lease and writes the next resource type's file, so the
    work needs no worker process and survives any host going away."""

    __tablename__ = "export_jobs"
    __table_args__ = (
        CheckConstraint(sql_in("status", EXPORT_STATUSES), name="status_known"),
        Index("ix_export_jobs_client_status", "client_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    types: Mapped[str] = mapped_column(String(400))  # resource types to write, in order
    done_types: Mapped[str] = mapped_column(String(400), default="")
    since: Mapped[datetime | None]
    request_url: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    transaction_time: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(String(500), default="")

    files: Mapped[list[ExportFile]] = relationship(
        back_populates="job", cascade="all, delete-orphan", order_by="ExportFile.id"
    )

    @property
    def type_list(self) -> list[str]:
        return [name for name in self.types.split(",") if name]

    @property
    def done_list(self) -> list[str]:
        return [name for name in self.done_types.split(",") if name]


class ExportFile(Model):
    """One NDJSON file of an export: every resource of one type, one a line."""

    __tablename__ = "export_files"
    __table_args__ = (Index("ix_export_files_job", "job_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("export_jobs.id", ondelete="CASCADE"))
    resource_type: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(default=0)
    body: Mapped[str] = mapped_column(Text, default="")

    job: Mapped[ExportJob] = relationship(back_populates="files")
