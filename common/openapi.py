"""The OpenAPI document of one of a service's APIs, from its resolver's routes, completed
with what every route shares: the one error body for every documented error status, the
statuses the shared layer itself answers (`common.gate`, `common.api_errors`), and the full
schema of each query parameter that comes from a parameter model."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel

from common.api_errors import REQUEST_ID_HEADER, ErrorBody, GatewayRefusal
from common.gate import BODY_METHODS
from common.topology import AuthKind, Route

ERROR_SCHEMA = "ErrorBody"
_ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}
GATEWAY_REFUSAL_SCHEMA = "GatewayRefusal"
_GATEWAY_REFUSAL_REF = {"$ref": f"#/components/schemas/{GATEWAY_REFUSAL_SCHEMA}"}
_USER_401_DESCRIPTION = (
    "No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, "
    "the service's own check `ErrorBody`."
)
_POWERTOOLS_ERROR_SCHEMAS = ("HTTPValidationError", "ValidationError", "ResponseValidationError")
_LOCAL_DEFS = "#/$defs/"
_COMPONENT_SCHEMAS = "#/components/schemas/"

ERROR_DESCRIPTIONS = {
    "400": "The body is not valid JSON (or nests too deep, or carries a number too long).",
    "401": "No valid credentials.",
    "403": "The caller's permissions do not cover this.",
    "404": "No such object, or not one the caller may know of.",
    "409": "Conflicts with the current state; re-read and retry.",
    "410": "No longer usable (e.g. expired); ask for a new one.",
    "413": "Too large; narrow the request.",
    "415": "The body is not sent as application/json.",
    "422": "A parameter or body field breaks a rule; `fields` names each one.",
    "429": "Too many requests; retry after the Retry-After header's seconds.",
    "500": "Internal error; quote the request id.",
    "503": "A dependency is unavailable; retry after the Retry-After header's seconds.",
}


SUCCESS_DESCRIPTIONS = {200: "Success.", 201: "Created.", 202: "Accepted.", 204: "Done; no body."}


BODILESS = frozenset({HTTPStatus.NO_CONTENT, HTTPStatus.SEE_OTHER, HTTPStatus.FOUND})


def errors(
    *statuses: int | tuple[int, str],
    success: int | None = 200,
    description: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> dict[int, OpenAPIResponse]:
    """`responses=` of a route: its success status (the return model's schema; no body for
    204 and redirects; `headers` names the response headers it sets, with their
    descriptions) and each error status its logic can raise, with the one error body; a
    status may come with its own description (`(400, "The code is wrong or expired.")`).

    Powertools documents only the statuses listed here once `responses` is given, so the
    success is part of it (`success=None` for a route that documents its own, e.g. a CSV
    download); the statuses the shared layer answers (401, 415, 422, 429, 500, 400) are
    added to every document by `openapi_document`.
    """
    responses: dict[int, OpenAPIResponse] = {}
    if success is not None:
        ok: OpenAPIResponse = {
            "description": description or SUCCESS_DESCRIPTIONS.get(success, "Success.")
        }
        if success in BODILESS:
            ok["content"] = {}
        if headers:
            ok["headers"] = {
                name: {"description": text, "schema": {"type": "string"}}
                for name, text in headers.items()
            }
        responses[success] = ok
    for entry in statuses:
        status, said = entry if isinstance(entry, tuple) else (entry, None)
        if status < 400:
            raise ValueError(f"errors() takes error statuses, not {status}")
        responses[status] = {
            "description": said or ERROR_DESCRIPTIONS.get(str(status), "Error."),
            "content": {"application/json": {"model": ErrorBody}},
        }
    return responses


def standard_error_statuses(route: Route) -> set[str]:
    """What the shared layer may answer on this route, whatever the route does."""
    statuses = {"500"}
    if route.auth is not AuthKind.PUBLIC:
        statuses |= {"401", "429"}
    if route.auth is AuthKind.USER:
        statuses.add("503")  # the pool's keys or the callers' budgets out of reach for now
    if route.method in BODY_METHODS:
        statuses |= {"400", "415", "422"}
    if "{" in route.path:
        statuses.add("422")
    return statuses


def answered_by_gateway(route: Route, status: str) -> bool:
    """Whether API Gateway itself may answer `status` on this route, with its own body: the
    HTTP API's JWT authorizer refuses a bad token before the function runs."""
    return status == "401" and route.auth is AuthKind.USER


def _error_response(status: str, route: Route) -> dict[str, Any]:
    schema: dict[str, Any] = _ERROR_REF
    description = ERROR_DESCRIPTIONS.get(status, "Error.")
    if answered_by_gateway(route, status):
        schema = {"anyOf": [_ERROR_REF, _GATEWAY_REFUSAL_REF]}
        description = _USER_401_DESCRIPTION
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": schema}},
        "headers": {REQUEST_ID_HEADER: {"schema": {"type": "string"}}},
    }
    if status in {"429", "503"}:
        response["headers"]["Retry-After"] = {
            "description": "Seconds to wait before retrying.",
            "schema": {"type": "integer", "minimum": 1},
        }
    return response


def _routes_by_key(app: ApiGatewayResolver) -> dict[tuple[str, str], Any]:
    return {(r.method.lower(), r.openapi_path): r for r in app._static_routes + app._dynamic_routes}


def _model_query_schemas(route: Any) -> dict[str, dict[str, Any]]:
    """Query name -> full JSON schema, for parameters that come from a parameter model."""
    found: dict[str, dict[str, Any]] = {}
    for param in route.dependant.query_params:
        annotation = getattr(param.field_info, "annotation", None)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            schema = annotation.model_json_schema()
            for name, prop in schema.get("properties", {}).items():
                if "$ref" in json.dumps(prop):
                    continue
                found[name] = prop
    return found


def _complete_operation(operation: dict[str, Any], route: Route, served: Any) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    if not any(status.startswith(("2", "3")) for status in responses):
        raise ValueError(
            f"{route.method} {route.path} documents no success response: "
            "its responses= must come from errors(..., success=...)"
        )
    for response in responses.values():
        if response.get("content") == {}:
            del response["content"]  # a response without a body (204, 303)
    query_params = [p for p in operation.get("parameters", []) if p.get("in") == "query"]
    statuses = standard_error_statuses(route) | {
        status for status in responses if status.startswith(("4", "5"))
    }
    if query_params:
        statuses.add("422")
    for status in sorted(statuses):
        described = responses.get(status, {}).get("description")
        responses[status] = _error_response(status, route)
        if answered_by_gateway(route, status):
            continue
        if described and not described.startswith(("Validation Error", "Response Validation")):
            responses[status]["description"] = described
    if served is not None:
        enriched = _model_query_schemas(served)
        for param in query_params:
            if param["name"] in enriched:
                schema = dict(enriched[param["name"]])
                description = schema.pop("description", None)
                param["schema"] = schema
                if description:
                    param["description"] = description


def openapi_document(
    app: ApiGatewayResolver,
    service: str,
    version: str,
    routes: Iterable[Route],
    *,
    api_name: str = "API",
) -> dict[str, Any]:
    """The OpenAPI document of `routes` as `app` serves them."""
    generated = json.loads(
        app.get_openapi_json_schema(
            title=f"SCTS {service} {api_name}",
            version=version,
            description=f"The {service} service's {api_name}.",
        )
    )
    document = _hoist_request_body_defs(generated)
    served_routes = _routes_by_key(app)
    gateway_refuses = False
    for route in routes:
        operation = document.get("paths", {}).get(route.path, {}).get(route.method.lower())
        if operation is not None:
            served = served_routes.get((route.method.lower(), route.path))
            _complete_operation(operation, route, served)
            gateway_refuses = gateway_refuses or answered_by_gateway(route, "401")
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in _POWERTOOLS_ERROR_SCHEMAS:
        schemas.pop(name, None)
    schemas[ERROR_SCHEMA] = _rewrite_refs(
        ErrorBody.model_json_schema(ref_template=_COMPONENT_SCHEMAS + "{model}")
    )
    for name, definition in schemas[ERROR_SCHEMA].pop("$defs", {}).items():
        schemas.setdefault(name, definition)
    if gateway_refuses:
        schemas[GATEWAY_REFUSAL_SCHEMA] = GatewayRefusal.model_json_schema()
    return document


def _hoist_request_body_defs(document: dict[str, Any]) -> dict[str, Any]:
    """Move `$defs` of request body schemas into `components/schemas`, rewriting their refs."""
    schemas: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                schema = media.get("schema", {})
                for name, definition in schema.pop("$defs", {}).items():
                    definition = _rewrite_refs(definition)
                    if schemas.setdefault(name, definition) != definition:
                        raise ValueError(f"two request bodies define different schemas {name!r}")
                media["schema"] = _rewrite_refs(schema)
    return document


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: (
                _COMPONENT_SCHEMAS + value.removeprefix(_LOCAL_DEFS)
                if key == "$ref" and isinstance(value, str) and value.startswith(_LOCAL_DEFS)
                else _rewrite_refs(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node
