"""Bulk Data `Group/clinic/$export` for a backend system: asynchronous, polled, NDJSON files.

There is no worker process. Each poll of the status URL claims the job for a short lease (one
UPDATE that only one host can win) and writes the next resource type's file into the database;
the poll that finds every type written answers with the manifest. So the export needs nothing
but the app hosts and the one database, and a host dying mid-export only delays it: the lease
runs out and the next poll, on any host, carries on."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import ApiClient, ExportFile, ExportJob
from app.models.base import utcnow
from app.services.api import search
from app.services.api.access import Reader
from app.services.api.resources import Context

EXPORT_TYPES = (
    "Patient",
    "Practitioner",
    "CarePlan",
    "Observation",
    "QuestionnaireResponse",
    "Flag",
    "Communication",
)
LEASE = timedelta(minutes=2)
KEEP_FOR = timedelta(days=1)
MAX_ACTIVE_PER_CLIENT = 3


class ExportError(ValueError):
    """A kick-off the server refuses (400), with the reason."""


def parse_types(values: list[str]) -> list[str]:
    wanted = [name.strip() for value in values for name in value.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in EXPORT_TYPES]
    if unknown:
        raise ExportError(f"_type {unknown[0][:40]!r} cannot be exported. Types: {', '.join(EXPORT_TYPES)}.")
    return [name for name in EXPORT_TYPES if name in wanted] if wanted else list(EXPORT_TYPES)


def parse_since(values: list[str]) -> datetime | None:
    if not values:
        return None
    if len(values) > 1:
        raise ExportError("Give _since once.")
    try:
        moment = search.parse_date(values[0])
    except search.SearchError as error:
        raise ExportError(f"_since: {error}") from error
    if moment.prefix != "eq" or len(values[0]) < 20:
        raise ExportError("_since must be an instant with a time zone, like 2026-01-01T00:00:00Z.")
    return moment.start


def start(client: ApiClient, types: list[str], since: datetime | None, request_url: str) -> ExportJob:
    active = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ExportJob)
        .where(ExportJob.client_id == client.id, ExportJob.status.in_(("queued", "running")))
    )
    if (active or 0) >= MAX_ACTIVE_PER_CLIENT:
        raise ExportError(
            f"This client already has {MAX_ACTIVE_PER_CLIENT} exports running; wait or cancel one."
        )
    now = utcnow()
    job = ExportJob(
        public_id=secrets.token_urlsafe(24),
        client_id=client.id,
        types=",".join(types),
        since=since,
        request_url=request_url[:2000],
        transaction_time=now,
        created_at=now,
    )
    db.session.add(job)
    db.session.flush()
    return job


def job_of(client: ApiClient, public_id: str) -> ExportJob | None:
    if not public_id or len(public_id) > 64:
        return None
    return db.session.scalar(
        sa.select(ExportJob).where(ExportJob.public_id == public_id, ExportJob.client_id == client.id)
    )


def claim(job: ExportJob, now: datetime) -> bool:
    """Take the job for one step, unless another host holds an unexpired lease on it."""
    result = db.session.execute(
        sa.update(ExportJob)
        .where(
            ExportJob.id == job.id,
            ExportJob.status.in_(("queued", "running")),
            sa.or_(ExportJob.lease_until.is_(None), ExportJob.lease_until < now),
        )
        .values(status="running", lease_until=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(getattr(result, "rowcount", 0))


@dataclass(frozen=True)
class Step:
    resource_type: str
    count: int
    patient_ids: set[int]


def advance(ctx: Context, reader: Reader, job: ExportJob, now: datetime | None = None) -> Step | None:
    """Write the next resource type's file, if this host wins the job for a step."""
    moment = now or utcnow()
    if job.status not in ("queued", "running") or not claim(job, moment):
        return None
    db.session.refresh(job)
    remaining = [name for name in job.type_list if name not in job.done_list]
    if not remaining:
        finish(job)
        return None
    resource_type = remaining[0]
    lines, patient_ids = [], set()
    for page in search.every_page(ctx, reader, resource_type, job.since):
        lines += [json.dumps(resource, separators=(",", ":")) for resource in page.resources]
        patient_ids |= page.patient_ids
    if lines:
        db.session.add(
            ExportFile(
                job_id=job.id, resource_type=resource_type, count=len(lines), body="\n".join(lines) + "\n"
            )
        )
    job.done_types = ",".join([*job.done_list, resource_type])
    job.lease_until = None
    if len(job.done_list) == len(job.type_list):
        finish(job)
    db.session.commit()
    return Step(resource_type, len(lines), patient_ids)


def finish(job: ExportJob) -> None:
    job.status = "done"
    job.finished_at = utcnow()
    job.lease_until = None


def cancel(job: ExportJob) -> None:
    """Cancelled jobs and their files go at once (the spec: the server may delete them)."""
    db.session.delete(job)


def progress_words(job: ExportJob) -> str:
    return f"{len(job.done_list)} of {len(job.type_list)} resource types written"


def manifest(job: ExportJob, file_url: str) -> dict[str, object]:
    """The completed export's manifest. `file_url` has `{job}` and `{file}` placeholders."""
    return {
        "transactionTime": job.transaction_time.isoformat(timespec="seconds") + "Z",
        "request": job.request_url,
        "requiresAccessToken": True,
        "output": [
            {
                "type": file.resource_type,
                "url": file_url.format(job=job.public_id, file=file.id),
                "count": file.count,
            }
            for file in job.files
        ],
        "error": [],
    }


def file_of(job: ExportJob, file_id: int) -> ExportFile | None:
    return next((file for file in job.files if file.id == file_id), None)


def forget_old(now: datetime | None = None) -> None:
    """Finished exports are kept a day, then deleted with their files."""
    cutoff = (now or utcnow()) - KEEP_FOR
    for job in db.session.scalars(sa.select(ExportJob).where(ExportJob.created_at < cutoff)):
        db.session.delete(job)
