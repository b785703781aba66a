"""SMART App Launch 2.2 scopes: `patient/Observation.rs`, `user/*.rs`, `system/*.rs` (and the
v1 spellings `.read`, which mean `.rs`). Backtrack's API only reads, so only `r` (read by id) and
`s` (search) are ever granted; a scope asking to create, update or delete is not granted."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

CONTEXTS = ("patient", "user", "system")
# The resource types a token can be scoped to, all read-only.
RESOURCE_TYPES = (
    "Patient",
    "Practitioner",
    "CarePlan",
    "Observation",
    "QuestionnaireResponse",
    "Flag",
    "Communication",
    "Group",
)
# Shared definitions that hold nobody's data: readable without any token.
OPEN_TYPES = ("Questionnaire", "CodeSystem")
OTHER_SCOPES = ("launch/patient", "offline_access", "openid", "fhirUser")
SCOPE_PATTERN = re.compile(r"^(patient|user|system)/(\*|[A-Z][A-Za-z]{1,39})\.(read|[cruds]{1,5})$")
APP_DEFAULT_SCOPES = "launch/patient offline_access patient/*.rs user/*.rs"
BACKEND_DEFAULT_SCOPES = "system/*.rs"


@dataclass(frozen=True)
class ResourceScope:
    context: str
    resource_type: str  # or "*"
    interactions: frozenset[str]

    def covers(self, context: str, resource_type: str, interaction: str) -> bool:
        return (
            self.context == context
            and self.resource_type in ("*", resource_type)
            and interaction in self.interactions
        )


def parse(scope: str) -> ResourceScope | None:
    """A resource scope as SMART writes it, or None (not one, or asking nothing we grant)."""
    match = SCOPE_PATTERN.match(scope)
    if not match:
        return None
    context, resource_type, letters = match.groups()
    if resource_type != "*" and resource_type not in RESOURCE_TYPES:
        return None
    if letters != "read" and list(letters) != sorted(letters, key="cruds".index):
        return None  # SMART writes the letters in the order c, r, u, d, s
    granted = frozenset({"r", "s"} if letters == "read" else set(letters) & {"r", "s"})
    return ResourceScope(context, resource_type, granted) if granted else None


def read_only(scope: str) -> bool:
    """A scope that asks for nothing but reading (what a client may be registered for)."""
    match = SCOPE_PATTERN.match(scope)
    return match is None or match.group(3) in ("read", "r", "s", "rs")


def is_known(scope: str) -> bool:
    return scope in OTHER_SCOPES or parse(scope) is not None


def granted_scopes(requested: Iterable[str], allowed: Iterable[str]) -> list[str]:
    """What a client gets: the requested scopes it is registered for, in the order asked. A
    registered `patient/*.rs` also covers a request for `patient/Observation.rs`."""
    allowed_list = list(allowed)
    allowed_resource = [found for found in (parse(s) for s in allowed_list) if found]
    granted = []
    for scope in requested:
        if scope in granted:
            continue
        if scope in OTHER_SCOPES and scope in allowed_list:
            granted.append(scope)
            continue
        wanted = parse(scope)
        if wanted is None:
            continue
        if any(
            wanted.context == have.context
            and have.resource_type in ("*", wanted.resource_type)
            and wanted.interactions <= have.interactions
            for have in allowed_resource
        ):
            granted.append(scope)
    return granted


@dataclass(frozen=True)
class Scopes:
    """The resource scopes of one token."""

    resource: tuple[ResourceScope, ...]
    names: tuple[str, ...]

    @classmethod
    def of(cls, scope: str) -> Scopes:
        names = tuple(scope.split())
        return cls(tuple(found for found in (parse(name) for name in names) if found), names)

    def allows(self, context: str, resource_type: str, interaction: str) -> bool:
        return any(scope.covers(context, resource_type, interaction) for scope in self.resource)

    def contexts(self) -> set[str]:
        return {scope.context for scope in self.resource}
