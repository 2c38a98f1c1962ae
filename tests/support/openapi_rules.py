"""What every OpenAPI document of ours must be (issue 10, `docs/api-conventions.md`), beyond
being a valid OpenAPI 3.1 document (openapi-spec-validator checks that):

- every operation has an explicit operationId (camelCase, unique in the document; not
  Powertools' generated `<function>_v1_<path>_<method>`), a summary (not Powertools' default
  `GET /v1/path`) and at least one tag;
- no 2xx response is a bare object (`{"type": "object"}` without properties) nor a map
  (`dict[str, Any]`: `additionalProperties` true or a schema);
- every documented 4xx/5xx response has the one error body (`ErrorBody`); the one exception
  is the 401 of a route behind the HTTP API's JWT authorizer, which may also be API Gateway's
  own `GatewayRefusal` (`{"message": "Unauthorized"}`, not reshapeable on HTTP APIs);
- every object schema a response can contain forbids undeclared properties
  (`additionalProperties: false`), so a response validated against its document cannot carry
  a field the model does not declare;
- every `account_id` parameter (path or query) is checked with the one id pattern
  (`common.api_types.ID_PATTERN`), so the same id is refused the same way by every service.

`document_problems` names each breach; `tests/contract/test_openapi_documents.py` runs it on
every committed document and on broken examples (so each rule is seen failing).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from common.api_types import ID_PATTERN

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
ERROR_BODY_REF = "#/components/schemas/ErrorBody"
GATEWAY_401: dict[str, Any] = {
    "anyOf": [{"$ref": ERROR_BODY_REF}, {"$ref": "#/components/schemas/GatewayRefusal"}]
}
JWT_SECURITY: list[dict[str, list[str]]] = [{"cognitoAccessToken": []}]
COMPONENT_SCHEMAS = "#/components/schemas/"
CAMEL_CASE = re.compile(r"^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*$")
_GENERATED_OPERATION_ID = re.compile(r"_v\d+_.*_(?:get|put|post|delete|patch|head|options)$")


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path, operation) of every operation of the document."""
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield method.upper(), path, item[method]


def _operation_problems(
    method: str, path: str, operation: dict[str, Any], seen_ids: dict[str, str]
) -> list[str]:
    where = f"{method} {path}"
    problems = []
    operation_id = operation.get("operationId")
    if not operation_id:
        problems.append(f"{where}: no operationId")
    elif _GENERATED_OPERATION_ID.search(operation_id) or not CAMEL_CASE.match(operation_id):
        problems.append(
            f"{where}: operationId {operation_id!r} is not an explicit camelCase name "
            "(name it with operation_id=...)"
        )
    elif operation_id in seen_ids:
        problems.append(f"{where}: operationId {operation_id!r} is also {seen_ids[operation_id]}")
    else:
        seen_ids[operation_id] = where
    summary = str(operation.get("summary") or "").strip()
    if not summary or summary.upper() == where.upper():
        problems.append(f"{where}: no summary (Powertools' default is the method and path)")
    if not operation.get("tags"):
        problems.append(f"{where}: no tag")
    for parameter in operation.get("parameters", []):
        schemas = [parameter.get("schema", {}), *parameter.get("schema", {}).get("anyOf", [])]
        patterns = {schema.get("pattern") for schema in schemas} - {None}
        if parameter.get("name") == "account_id" and patterns != {ID_PATTERN}:
            problems.append(f"{where}: account_id is not checked with the one id pattern")
    return problems


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(schema name or '', the schema) for a `$ref` into components/schemas (or inline)."""
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(COMPONENT_SCHEMAS):
        name = ref.removeprefix(COMPONENT_SCHEMAS)
        found: dict[str, Any] = document.get("components", {}).get("schemas", {}).get(name, {})
        return name, found
    return "", schema


def _is_object(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return "object" in kinds or "properties" in schema or "additionalProperties" in schema


def _keys_enumerated(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    """A map whose keys are an enumeration (`dict[SomeEnum, V]`): every key is declared."""
    names = schema.get("propertyNames")
    if not isinstance(names, dict):
        return False
    _, resolved = _resolve(document, names)
    return isinstance(resolved.get("enum"), list)


def _open_objects(
    document: dict[str, Any], schema: Any, where: str, visited: set[str]
) -> Iterator[str]:
    """Where an object schema reachable from `schema` allows undeclared properties."""
    if isinstance(schema, list):
        for item in schema:
            yield from _open_objects(document, item, where, visited)
        return
    if not isinstance(schema, dict):
        return
    name, resolved = _resolve(document, schema)
    if name:
        if name in visited:
            return
        visited.add(name)
        where = name
    if (
        _is_object(resolved)
        and resolved.get("additionalProperties") is not False
        and not _keys_enumerated(document, resolved)
    ):
        yield f"{where}: an object schema that allows undeclared properties"
    for key, value in resolved.items():
        if key == "properties" and isinstance(value, dict):
            for prop, prop_schema in value.items():
                yield from _open_objects(document, prop_schema, f"{where}.{prop}", visited)
        elif key in ("items", "prefixItems", "anyOf", "oneOf", "allOf", "not", "$defs"):
            if key == "$defs" and isinstance(value, dict):
                value = list(value.values())
            yield from _open_objects(document, value, where, visited)
        elif key == "additionalProperties" and isinstance(value, dict):
            yield from _open_objects(document, value, f"{where}.*", visited)


def _response_problems(
    document: dict[str, Any], operation: dict[str, Any], where: str, response: dict[str, Any]
) -> list[str]:
    status = where.rsplit(" ", 1)[1]
    problems = []
    content = response.get("content") or {}
    if status.startswith(("4", "5")):
        schema = content.get("application/json", {}).get("schema")
        allowed: list[dict[str, Any]] = [{"$ref": ERROR_BODY_REF}]
        if status == "401" and operation.get("security") == JWT_SECURITY:
            allowed.append(GATEWAY_401)
        if set(content) != {"application/json"} or schema not in allowed:
            problems.append(f"{where}: an error response without the one error body (ErrorBody)")
        return problems
    for media_type, media in content.items():
        schema = media.get("schema")
        if not media_type.endswith("json"):
            continue
        if schema is None:
            problems.append(f"{where}: {media_type} without a schema")
            continue
        _, resolved = _resolve(document, schema)
        if status.startswith("2") and _is_object(resolved) and not resolved.get("properties"):
            problems.append(f"{where}: a bare object (no declared properties)")
        problems.extend(f"{where}: {p}" for p in _open_objects(document, schema, "body", set()))
    return problems


def document_problems(document: dict[str, Any]) -> list[str]:
    """Every breach of the rules above (empty when the document keeps them)."""
    problems: list[str] = []
    seen_ids: dict[str, str] = {}
    for method, path, operation in operations(document):
        problems.extend(_operation_problems(method, path, operation, seen_ids))
        responses = operation.get("responses") or {}
        if not any(status.startswith(("2", "3")) for status in responses):
            problems.append(f"{method} {path}: no success response")
        for status, response in responses.items():
            where = f"{method} {path} {status}"
            problems.extend(_response_problems(document, operation, where, response))
    return problems
