"""What the server says it does, built from the same tables the searches run on, so it cannot
claim a resource, interaction or parameter that is not there: the CapabilityStatement (`metadata`)
and SMART's `.well-known/smart-configuration`."""

from __future__ import annotations

from typing import Any

from app.services.api import scopes, search, urls
from app.services.api.resources import Context

FHIR_VERSION = "4.0.1"
SMART_OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"


def search_params(spec: search.Spec) -> list[dict[str, Any]]:
    found = [
        {"name": name, "type": param.kind, "documentation": param.documentation}
        for name, param in spec.params.items()
    ]
    found += [
        {"name": "_count", "type": "number", "documentation": f"Page size, at most {search.MAX_COUNT}"},
        {
            "name": "_offset",
            "type": "number",
            "documentation": "Where the page starts (the next link sets it)",
        },
    ]
    return found


def capability_statement(ctx: Context) -> dict[str, Any]:
    specs = search.specs(ctx)
    types: list[dict[str, Any]] = []
    for resource_type in search.SEARCHABLE_TYPES:
        spec = specs[resource_type]
        entry: dict[str, Any] = {
            "type": resource_type,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": search_params(spec),
        }
        if spec.includes:
            entry["searchInclude"] = list(spec.includes)
        types.append(entry)
    types += [
        {"type": "Questionnaire", "interaction": [{"code": "read"}, {"code": "search-type"}],
         "searchParam": [{"name": "url", "type": "uri"}, {"name": "_id", "type": "token"}]},
        {"type": "CodeSystem", "interaction": [{"code": "read"}, {"code": "search-type"}],
         "searchParam": [{"name": "url", "type": "uri"}, {"name": "_id", "type": "token"}]},
        {"type": "Group", "interaction": [{"code": "read"}],
         "operation": [{"name": "export", "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export"}]},
    ]  # fmt: skip
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-01",
        "publisher": "Backtrack",
        "kind": "instance",
        "software": {"name": "Backtrack"},
        "implementation": {"description": "Backtrack's FHIR API (read-only)", "url": ctx.base},
        "fhirVersion": FHIR_VERSION,
        "format": ["json", "application/fhir+json"],
        "instantiates": ["http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Read-only. Every call needs a bearer token (SMART App Launch 2.2 or "
                "SMART Backend Services), except metadata, Questionnaire and CodeSystem.",
                "security": {
                    "cors": False,
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                    "code": "SMART-on-FHIR",
                                }
                            ]
                        }
                    ],
                    "extension": [
                        {
                            "url": SMART_OAUTH_URIS,
                            "extension": [
                                {"url": "authorize", "valueUri": urls.authorize_url()},
                                {"url": "token", "valueUri": urls.token_url()},
                                {"url": "revoke", "valueUri": f"{urls.site_root()}/oauth/revoke"},
                                {"url": "introspect", "valueUri": f"{urls.site_root()}/oauth/introspect"},
                            ],
                        }
                    ],
                },
                "resource": types,
                "operation": [
                    {
                        "name": "export",
                        "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export",
                    }
                ],
            }
        ],
    }


def supported_scopes() -> list[str]:
    found = list(scopes.OTHER_SCOPES[:2])
    for context in ("patient", "user", "system"):
        found.append(f"{context}/*.rs")
        found += [
            f"{context}/{name}.rs" for name in scopes.RESOURCE_TYPES if name != "Group" or context == "system"
        ]
    return found


def smart_configuration() -> dict[str, Any]:
    root = urls.site_root()
    return {
        "issuer": root,
        "authorization_endpoint": urls.authorize_url(),
        "token_endpoint": urls.token_url(),
        "revocation_endpoint": f"{root}/oauth/revoke",
        "introspection_endpoint": f"{root}/oauth/introspect",
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "response_types_supported": ["code"],
        "token_endpoint_auth_methods_supported": ["none", "private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS384", "ES384"],
        "scopes_supported": supported_scopes(),
        "code_challenge_methods_supported": ["S256"],
        "capabilities": [
            "launch-standalone",
            "client-public",
            "permission-offline",
            "permission-patient",
            "permission-user",
            "permission-v1",
            "permission-v2",
            "context-standalone-patient",
        ],
    }
