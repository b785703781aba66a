"""Read and search, the CapabilityStatement and SMART's configuration. Thin views: the rules are
in app/services/api (search, access, resources)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Response, current_app, request
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.fhir import bp, discovery
from app.fhir.plumbing import (
    Refusal,
    anonymous_session,
    audit_read,
    context,
    current_reader,
    fhir_json,
    no_body_expected,
    not_found,
    outcome,
    query_args,
    refuse,
    require,
)
from app.models import Role, User
from app.services.api import resources, search
from app.services.api.capability import capability_statement, smart_configuration
from app.services.api.resources import Context
from app.services.api.search import SEARCHABLE_TYPES, Found, SearchError

bp.before_request(anonymous_session)
bp.before_request(no_body_expected)


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    if isinstance(error, Refusal):
        return error.get_response()
    code = error.code or 500
    words = error.description if code != 404 else "There is nothing at this address in the FHIR API."
    return fhir_json(outcome("not-found" if code == 404 else "invalid", str(words)), code)


@bp.errorhandler(SearchError)
def search_error(error: SearchError) -> Response:
    return fhir_json(outcome(error.code, str(error)), 400)


@bp.errorhandler(Exception)
def unexpected(error: Exception) -> Response:
    db.session.rollback()
    current_app.logger.exception("FHIR API error", exc_info=error)
    return fhir_json(outcome("exception", "Something went wrong on the server."), 500)


@bp.get("/metadata")
def metadata() -> Response:
    return fhir_json(capability_statement(context()))


@bp.get("/.well-known/smart-configuration")
@discovery.get("/.well-known/smart-configuration")
def smart() -> Response:
    response = fhir_json(smart_configuration())
    response.mimetype = "application/json"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


# --- Definitions anyone may read ------------------------------------------------------------------


@bp.get("/CodeSystem/<code_system_id>")
def code_system(code_system_id: str) -> Response:
    if code_system_id != resources.CODE_SYSTEM_ID:
        refuse(404, "The only CodeSystem here is CodeSystem/backtrack.")
    return fhir_json(resources.code_system(context()))


@bp.get("/Questionnaire/<kind>")
def questionnaire(kind: str) -> Response:
    if kind not in resources.QUESTIONNAIRE_KINDS:
        refuse(404, "The questionnaires here are peg, psfs and pgic.")
    return fhir_json(resources.questionnaire(context(), kind))


def definitions_bundle(ctx: Context, found: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(found),
        "link": [{"relation": "self", "url": request.url}],
        "entry": [{"fullUrl": ctx.full_url(r), "resource": r, "search": {"mode": "match"}} for r in found],
    }


@bp.get("/CodeSystem")
def code_systems() -> Response:
    ctx = context()
    args = query_args()
    unknown = set(args) - {"url", "_id"}
    if unknown:
        raise SearchError(f"CodeSystem has no search parameter {sorted(unknown)[0][:60]!r}. Known: _id, url.")
    found = resources.code_system(ctx)
    wanted = all(value in (found["url"], found["id"]) for values in args.values() for value in values)
    return fhir_json(definitions_bundle(ctx, [found] if wanted else []))


@bp.get("/Questionnaire")
def questionnaires() -> Response:
    ctx = context()
    args = query_args()
    unknown = set(args) - {"url", "_id"}
    if unknown:
        raise SearchError(
            f"Questionnaire has no search parameter {sorted(unknown)[0][:60]!r}. Known: _id, url."
        )
    found = [resources.questionnaire(ctx, kind) for kind in resources.QUESTIONNAIRE_KINDS]
    for values in args.values():
        found = [q for q in found if any(value in (q["url"], q["id"]) for value in values)]
    return fhir_json(definitions_bundle(ctx, found))


# --- The clinic's group (backend systems) ----------------------------------------------------------


@bp.get("/Group/<group_id>")
def group(group_id: str) -> Response:
    reader = current_reader()
    require(reader, "Group", "r")
    if reader.user is not None:
        refuse(403, "The clinic's group is for backend systems (system/ scopes).", "forbidden")
    if group_id != resources.GROUP_ID:
        not_found(reader, "Group", group_id)
    count = db.session.query(User).filter(User.role == Role.PATIENT.value).count()
    audit_read(reader, "fhir_read", [])
    return fhir_json(resources.group(context(), count))


# --- Read and search -------------------------------------------------------------------------------


def searchset(ctx: Context, resource_type: str, found: Found) -> dict[str, Any]:
    """A page as a Bundle, with `self` and `next` links carrying the same search."""
    args = [
        (key, value)
        for key in request.args
        for value in request.args.getlist(key)
        if key not in search.PAGING
    ]

    def link(offset: int) -> str:
        paging = (
            [("_count", str(found.count)), ("_offset", str(offset))]
            if offset
            else [("_count", str(found.count))]
        )
        return f"{ctx.base}/{resource_type}?{urlencode(args + paging)}"

    links = [{"relation": "self", "url": link(found.offset)}]
    if found.has_next:
        links.append({"relation": "next", "url": link(found.offset + found.count)})
    if found.offset:
        links.append({"relation": "previous", "url": link(max(0, found.offset - found.count))})
    entries = [
        {"fullUrl": ctx.full_url(r), "resource": r, "search": {"mode": "match"}} for r in found.resources
    ]
    entries += [
        {"fullUrl": ctx.full_url(r), "resource": r, "search": {"mode": "include"}} for r in found.included
    ]
    for warning in found.warnings:
        entries.append({"resource": outcome("too-costly", warning, "warning"), "search": {"mode": "outcome"}})
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": found.total,
        "link": links,
        "entry": entries,
    }


def known_type(resource_type: str) -> None:
    if resource_type not in SEARCHABLE_TYPES:
        refuse(404, f"{resource_type[:60]} is not a resource type this server holds.", "not-supported")


@bp.get("/<resource_type>")
def search_type(resource_type: str) -> Response:
    known_type(resource_type)
    reader = current_reader()
    require(reader, resource_type, "s")
    ctx = context()
    found = search.search(ctx, reader, resource_type, query_args())
    audit_read(reader, "fhir_search", found.patient_ids)
    return fhir_json(searchset(ctx, resource_type, found))


@bp.get("/<resource_type>/<resource_id>")
def read(resource_type: str, resource_id: str) -> Response:
    known_type(resource_type)
    reader = current_reader()
    require(reader, resource_type, "r")
    if request.args and set(request.args) - {"_format"}:
        raise SearchError("A read takes no search parameters (only _format).")
    search.check_format(query_args())
    try:
        resource, patient_ids = search.read(context(), reader, resource_type, resource_id)
    except LookupError:
        not_found(reader, resource_type, resource_id)
    audit_read(reader, "fhir_read", patient_ids)
    return fhir_json(resource)
