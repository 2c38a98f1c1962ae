"""The APIs every service exposes: a Powertools resolver with OpenAPI validation,
authentication inside the service (zero trust), uniform errors and `/v1/version`.

A resolver serves the routes of ONE function of the topology. Functions behind the HTTP API
(USER and PUBLIC routes) get payload 2.0 events and an `APIGatewayHttpResolver`; functions
behind the REST "ingest API" (PUBLISHER routes, `INGEST_API_AUTH`) get payload 1.0 events and
an `APIGatewayRestResolver`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import (
    APIGatewayHttpResolver,
    APIGatewayRestResolver,
    Response,
    content_types,
)
from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict

from common.jwt import ACCESS_TOKEN_USE, JwtVerifier, TokenRejected, bearer_token
from common.settings import ServiceSettings
from common.topology import INGEST_API_AUTH, AuthKind, Route, ServiceTopology

PublisherCheck = Callable[[ApiGatewayResolver], Response[Any] | None]
"""Checks a PUBLISHER request inside the service: the refusal, or None once the caller is
known (the check puts the publisher in `app.context`)."""

PRINCIPAL = "principal"
"""Key under which the verified caller is kept in `app.context`."""


class UserPrincipal(BaseModel):
    """A caller whose Cognito access token this service verified itself."""

    model_config = ConfigDict(frozen=True)

    sub: str
    username: str
    claims: dict[str, Any]


class ApiError(Exception):
    """A client-facing error with a stable code; the message must not leak internals."""

    def __init__(self, status: HTTPStatus, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


class VersionInfo(BaseModel):
    service: str
    version: str
    commit: str
    stage: str


def error_response(
    status: HTTPStatus, code: str, message: str, **details: Any
) -> Response[dict[str, Any]]:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body={"error": code, "message": message, **details},
    )


def function_routes(topology: ServiceTopology, function: str | None = None) -> tuple[Route, ...]:
    """The routes `function` serves; without a function, every route of the HTTP API."""
    if function is None:
        return topology.http_routes
    if function not in {f.name for f in topology.functions}:
        raise ValueError(f"{topology.service} has no function {function!r}")
    return tuple(r for r in topology.routes if r.function == function)


def serves_ingest_api(routes: tuple[Route, ...]) -> bool:
    """Routes of the REST ingest API (the topology forbids a function serving both APIs)."""
    return bool(routes) and all(r.auth is INGEST_API_AUTH for r in routes)


def create_resolver(
    topology: ServiceTopology,
    settings: Callable[[], ServiceSettings],
    verifier: Callable[[], JwtVerifier] | None,
    publisher_check: PublisherCheck | None = None,
    *,
    function: str | None = None,
) -> ApiGatewayResolver:
    """A resolver with the shared behaviour; the service registers its own routes on it.

    The resolver serves the declared routes of `function` (default: the HTTP API's routes,
    which is every route of a service without publisher routes): an `APIGatewayRestResolver`
    for the ingest API, an `APIGatewayHttpResolver` otherwise. `/v1/version` is registered on
    HTTP API resolvers only (each API's routes are checked against the topology).

    `settings` and `verifier` are called on first use, so the resolver (and its OpenAPI
    document) can be built without any environment. Every request must match a declared
    route; USER routes need an access token this service verifies itself, PUBLISHER routes
    pass through `publisher_check` (the service's API-key check).
    """
    routes = function_routes(topology, function)
    ingest_api = serves_ingest_api(routes)
    app: ApiGatewayResolver = (
        APIGatewayRestResolver(enable_validation=True)
        if ingest_api
        else APIGatewayHttpResolver(enable_validation=True)
    )
    declared = {f"{r.method} {r.path}": r.auth for r in routes}

    def refusal(app: ApiGatewayResolver) -> Response[Any] | None:
        """Why the current request may not reach its route, or None (principal then set).

        Decided on the route Powertools matched (kept in the context), not on the
        event's routeKey, so authentication and dispatch can never disagree.
        """
        auth = declared.get(matched_route_key(app) or "")
        if auth is None:
            return error_response(HTTPStatus.NOT_FOUND, "not_found", "No such route.")
        if auth is AuthKind.PUBLIC:
            return None
        if auth is AuthKind.PUBLISHER:
            if publisher_check is None:
                return error_response(HTTPStatus.UNAUTHORIZED, "unauthorized", "Unauthorized")
            return publisher_check(app)
        if verifier is None:
            return error_response(HTTPStatus.UNAUTHORIZED, "unauthorized", "Unauthorized")
        try:
            claims = verifier().verify(
                bearer_token(app.current_event.headers), require_token_use=ACCESS_TOKEN_USE
            )
        except TokenRejected:
            return error_response(HTTPStatus.UNAUTHORIZED, "unauthorized", "Unauthorized")
        app.append_context(
            **{
                PRINCIPAL: UserPrincipal(
                    sub=claims["sub"], username=str(claims.get("username", "")), claims=claims
                )
            }
        )
        return None

    def authenticate(app: ApiGatewayResolver, next_middleware: NextMiddleware) -> Response[Any]:
        return refusal(app) or next_middleware(app)

    app.use([authenticate])

    @app.exception_handler(RequestValidationError)
    def _invalid(exc: RequestValidationError) -> Response[Any]:
        # Powertools validates the request before any middleware runs: an unauthenticated
        # caller must learn nothing about the route's input, so authenticate first here too.
        refused = refusal(app)
        if refused is not None:
            return refused
        fields = [
            {"path": ".".join(str(p) for p in e["loc"]), "reason": e.get("msg", e["type"])}
            for e in exc.errors()
        ]
        return error_response(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "validation_failed",
            "The request is not valid; see fields.",
            fields=fields,
        )

    @app.exception_handler(ApiError)
    def _api_error(exc: ApiError) -> Response[dict[str, Any]]:
        return error_response(exc.status, exc.code, exc.message, **exc.details)

    @app.not_found
    def _not_found(_: NotFoundError) -> Response[dict[str, Any]]:
        return error_response(HTTPStatus.NOT_FOUND, "not_found", "No such route.")

    if not ingest_api:

        @app.get("/v1/version", summary="Service version and the commit it was built from")
        def version() -> VersionInfo:
            current = settings()
            return VersionInfo(
                service=current.service_name,
                version=current.version,
                commit=current.git_commit,
                stage=current.stage,
            )

    return app


def matched_route_key(app: ApiGatewayResolver) -> str | None:
    """`METHOD /path/{param}` of the resolver route handling the current request."""
    route = app.context.get("_route")
    if route is None:
        return None
    return f"{route.method} {route.openapi_path}"


def principal(app: ApiGatewayResolver) -> UserPrincipal:
    """The verified caller of the current request (only on USER routes)."""
    found = app.context.get(PRINCIPAL)
    if not isinstance(found, UserPrincipal):
        raise ApiError(HTTPStatus.UNAUTHORIZED, "unauthorized", "Unauthorized")
    return found


def json_request_body(schema: dict[str, Any], description: str) -> dict[str, Any]:
    """`openapi_extensions` documenting a JSON body that the route parses itself.

    For routes that must not let Powertools validate the body as a whole (a batch judged
    record by record): the schema is documentation only. Its `$defs` (pydantic's
    `model_json_schema()`) are moved into `components/schemas` by `openapi_document`.
    """
    return {
        "requestBody": {
            "description": description,
            "required": True,
            "content": {content_types.APPLICATION_JSON: {"schema": schema}},
        }
    }


def openapi_document(
    app: ApiGatewayResolver, service: str, version: str, *, api_name: str = "API"
) -> str:
    """The OpenAPI document of one of the service's APIs, from its registered routes."""
    generated = app.get_openapi_json_schema(
        title=f"SCTS {service} {api_name}",
        version=version,
        description=f"The {service} service's {api_name}.",
    )
    return json.dumps(_hoist_request_body_defs(json.loads(generated)), indent=2)


_LOCAL_DEFS = "#/$defs/"
_COMPONENT_SCHEMAS = "#/components/schemas/"


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
