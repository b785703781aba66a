"""Bulk Data Access 2.0 for backend systems: kick-off, status (polled), files, cancel."""

from __future__ import annotations

from flask import Response, request, url_for

from app.extensions import csrf, db
from app.fhir import bp
from app.fhir.plumbing import audit_read, context, current_reader, fhir_json, outcome, refuse, require
from app.models import ExportJob
from app.services.api import bulk, resources
from app.services.api.access import Reader


def backend_reader() -> Reader:
    reader = current_reader()
    if reader.user is not None:
        refuse(403, "Bulk export is for backend systems (system/ scopes).", "forbidden")
    return reader


@bp.get("/Group/<group_id>/$export")
def kick_off(group_id: str) -> Response:
    reader = backend_reader()
    if group_id != resources.GROUP_ID:
        refuse(404, "The only group here is Group/clinic (every patient of the clinic).")
    if request.headers.get("Prefer", "").strip() != "respond-async":
        refuse(400, "Send Prefer: respond-async: an export runs asynchronously.")
    unknown = set(request.args) - {"_type", "_since", "_outputFormat"}
    if unknown:
        refuse(400, f"$export has no parameter {sorted(unknown)[0][:40]!r} (supported: _type, _since).")
    if request.args.get("_outputFormat", "application/fhir+ndjson") not in (
        "application/fhir+ndjson", "application/ndjson", "ndjson"
    ):  # fmt: skip
        refuse(400, "Only NDJSON is written (_outputFormat=application/fhir+ndjson).")
    try:
        types = bulk.parse_types(request.args.getlist("_type"))
        since = bulk.parse_since(request.args.getlist("_since"))
    except bulk.ExportError as error:
        refuse(400, str(error))
    for resource_type in types:
        require(reader, resource_type, "s")
    bulk.forget_old()
    try:
        job = bulk.start(reader.client, types, since, request.url)
    except bulk.ExportError as error:
        refuse(429, str(error), "throttled", {"Retry-After": "60"})
    audit_read(reader, "bulk_export_start", [], f"types {','.join(types)}")
    location = url_for("fhir.export_status", job_id=job.public_id, _external=True)
    return fhir_json(
        outcome("informational", "Export started.", "information"), 202, {"Content-Location": location}
    )


def job_or_404(reader: Reader, job_id: str) -> ExportJob:
    job = bulk.job_of(reader.client, job_id)
    if job is None:
        refuse(404, "No export of this client has that id (it may have been cancelled or expired).")
    return job


# Bearer-token only, never a browser's cookie: the DELETE that cancels an export comes from the
# client's backend system, which has no CSRF token to send.
@csrf.exempt
@bp.route("/bulk/<job_id>", methods=["GET", "DELETE"])
def export_status(job_id: str) -> Response:
    reader = backend_reader()
    job = job_or_404(reader, job_id)
    if request.method == "DELETE":
        bulk.cancel(job)
        audit_read(reader, "bulk_export_cancel", [])
        return fhir_json(outcome("informational", "Export cancelled.", "information"), 202)
    step = bulk.advance(context(), reader, job)
    if step is not None:
        audit_read(reader, "bulk_export_step", step.patient_ids, f"{step.resource_type}: {step.count}")
    db.session.refresh(job)
    if job.status != "done":
        response = fhir_json(outcome("informational", bulk.progress_words(job), "information"), 202)
        response.headers["X-Progress"] = bulk.progress_words(job)
        response.headers["Retry-After"] = "1"
        return response
    template = url_for("fhir.export_file", job_id="JOB", file_id=0, _external=True)
    template = template.replace("JOB", "{job}").replace("/0.ndjson", "/{file}.ndjson")
    response = fhir_json(bulk.manifest(job, template))
    response.mimetype = "application/json"
    return response


@bp.get("/bulk/<job_id>/<int:file_id>.ndjson")
def export_file(job_id: str, file_id: int) -> Response:
    reader = backend_reader()
    job = job_or_404(reader, job_id)
    file = bulk.file_of(job, file_id) if job.status == "done" else None
    if file is None:
        refuse(404, "That export has no such file.")
    audit_read(reader, "bulk_export_download", [], f"{file.resource_type}: {file.count} resources")
    return Response(file.body, mimetype="application/fhir+ndjson", headers={"Cache-Control": "no-store"})
