"""Responses checked against the committed OpenAPI documents: the status must be documented
for the operation, and the body must match its schema, where every object schema of our
models forbids undeclared properties (`extra="forbid"` -> `additionalProperties: false`).

Used by each service's integration tests (every route they call) and by the e2e runs: a
route that returns a field its model does not declare, or an undocumented status, fails.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

OPENAPI_DIR = Path(__file__).resolve().parents[2] / "contracts" / "openapi"


@cache
def document(name: str) -> dict[str, Any]:
    """`name`: `identity`, `portfolio`, `provisioning-ingest`..."""
    loaded: dict[str, Any] = json.loads((OPENAPI_DIR / f"{name}.json").read_text("utf-8"))
    return loaded


def _operation(name: str, method: str, template: str) -> dict[str, Any]:
    paths = document(name)["paths"]
    assert template in paths, f"{name}: {template} is not documented"
    operation = paths[template].get(method.lower())
    assert operation is not None, f"{name}: {method} {template} is not documented"
    return operation  # type: ignore[no-any-return]


def response_problems(
    name: str, method: str, template: str, status: int, body: Any, content_type: str = ""
) -> list[str]:
    """Why the response breaks its document (empty when it does not)."""
    operation = _operation(name, method, template)
    documented = operation.get("responses", {})
    response = documented.get(str(status))
    if response is None:
        return [f"{method} {template}: status {status} is not documented ({sorted(documented)})"]
    content = response.get("content") or {}
    if not content:
        if body in (None, "", b""):
            return []
        return [f"{method} {template} {status}: a body the document does not declare"]
    if "application/json" not in content:
        if content_type and not any(content_type.startswith(t) for t in content):
            return [f"{method} {template} {status}: content type {content_type} not documented"]
        return []
    schema = content["application/json"].get("schema", {})
    registry: Registry[Any] = Registry().with_resource(
        "urn:openapi", Resource.from_contents(document(name), default_specification=DRAFT202012)
    )
    validator = OAS31Validator(_resolve_refs(schema), registry=registry)
    return [
        f"{method} {template} {status}: {'/'.join(map(str, e.absolute_path)) or '<root>'}: "
        f"{e.message[:200]}"
        for e in validator.iter_errors(body)
    ]


def _resolve_refs(schema: Any) -> Any:
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            return {**schema, "$ref": "urn:openapi" + ref}
        return {key: _resolve_refs(value) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_resolve_refs(item) for item in schema]
    return schema


def assert_matches_openapi(
    name: str, method: str, template: str, status: int, body: Any, content_type: str = ""
) -> None:
    problems = response_problems(name, method, template, status, body, content_type)
    assert not problems, "\n".join(problems)
