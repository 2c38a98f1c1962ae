"""The APIs every service exposes: a Powertools resolver with OpenAPI validation,
authentication inside the service (zero trust), one error shape and `/v1/version`.

A resolver serves the routes of ONE function of the topology. Functions behind the HTTP API
(USER and PUBLIC routes) get payload 2.0 events and an `APIGatewayHttpResolver`; functions
behind the REST "ingest API" (PUBLISHER routes, `INGEST_API_AUTH`) get payload 1.0 events and
an `APIGatewayRestResolver`. The rules every request meets before its route runs (declared
route, credentials, media type, known query parameters, well-formed JSON) live in
`common.gate`; how errors look on the wire lives in `common.api_errors`.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import (
    APIGatewayHttpResolver,
    APIGatewayRestResolver,
    Depends,
    Response,
)
from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestValidationError,
    ResponseValidationError,
)
from aws_lambda_powertools.event_handler.request import Request
from aws_lambda_powertools.logging import Logger
from pydantic import BaseModel, ConfigDict

from common.api_errors import (
    ApiError,
    ErrorBody,
    FieldError,
    domain_error_response,
    error_response,
    validation_error_response,
)
from common.errors import DomainError, Unauthenticated
from common.gate import PRINCIPAL, PublisherCheck, install_gate, matched_route_key
from common.json_safety import parse_json
from common.principal import UserPrincipal
from common.rate_limit import CallerBudget
from common.settings import ServiceSettings
from common.topology import INGEST_API_AUTH, Route, ServiceTopology

__all__ = [
    "PRINCIPAL",
    "ApiError",
    "Caller",
    "ErrorBody",
    "FieldError",
    "PublisherCheck",
    "UserPrincipal",
    "VersionInfo",
    "create_resolver",
    "current_principal",
    "error_response",
    "function_routes",
    "json_request_body",
    "matched_route_key",
    "principal",
    "serves_ingest_api",
]

_log = Logger(service="api", child=True)


class VersionInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    service: str
    version: str
    commit: str
    stage: str


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
    verifier: Callable[[], Any] | None,
    publisher_check: PublisherCheck | None = None,
    *,
    function: str | None = None,
    caller_budget: Callable[[], CallerBudget] | None = None,
) -> ApiGatewayResolver:
    """A resolver with the shared behaviour; the service includes its routers on it.

    The resolver serves the declared routes of `function` (default: the HTTP API's routes,
    which is every route of a service without publisher routes): an `APIGatewayRestResolver`
    for the ingest API, an `APIGatewayHttpResolver` otherwise. `/v1/version` is registered on
    HTTP API resolvers only (each API's routes are checked against the topology).

    `settings` and `verifier` are called on first use, so the resolver (and its OpenAPI
    document) can be built without any environment. Every request passes `common.gate`
    before Powertools validates it; errors leave in the one shape of `common.api_errors`.
    """
    routes = function_routes(topology, function)
    ingest_api = serves_ingest_api(routes)
    resolver_type = APIGatewayRestResolver if ingest_api else APIGatewayHttpResolver
    app: ApiGatewayResolver = resolver_type(
        # Never Powertools' debug mode (POWERTOOLS_DEV): it answers an unhandled error with
        # its traceback and prints every event (tokens included) past the redacting logger;
        # the Lambda handler answers such an error with the one `internal` error.
        debug=False,
        enable_validation=True,
        response_validation_error_http_code=HTTPStatus.INTERNAL_SERVER_ERROR,
        json_body_deserializer=parse_json,
    )
    install_gate(app, routes, verifier, publisher_check, caller_budget)

    @app.exception_handler(RequestValidationError)
    def _invalid(exc: RequestValidationError) -> Response[Any]:
        return validation_error_response(app, exc.errors())

    @app.exception_handler(ResponseValidationError)
    def _broken_response(exc: ResponseValidationError) -> Response[Any]:
        # A route tried to return what its model does not declare: a bug, never shown.
        locations = [".".join(str(p) for p in e.get("loc", ())) for e in exc.errors()]
        _log.error("response does not match its model", extra={"locations": locations[:20]})
        return error_response(app, HTTPStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error.")

    @app.exception_handler(DomainError)
    def _domain_error(exc: DomainError) -> Response[Any]:
        return domain_error_response(app, exc)

    @app.exception_handler(ApiError)
    def _api_error(exc: ApiError) -> Response[Any]:
        return error_response(app, exc.status, exc.code, exc.message, exc.fields, exc.headers)

    @app.not_found
    def _not_found(_: NotFoundError) -> Response[Any]:
        return error_response(app, HTTPStatus.NOT_FOUND, "not_found", "No such route.")

    if not ingest_api:

        @app.get(
            "/v1/version",
            summary="Service version and the commit it was built from",
            operation_id="getVersion",
            tags=["service"],
        )
        def version() -> VersionInfo:
            current = settings()
            return VersionInfo(
                service=current.service_name,
                version=current.version,
                commit=current.git_commit,
                stage=current.stage,
            )

    return app


def principal(app: ApiGatewayResolver) -> UserPrincipal:
    """The verified caller of the current request (only on USER routes)."""
    found = app.context.get(PRINCIPAL)
    if not isinstance(found, UserPrincipal):
        raise Unauthenticated()
    return found


def current_principal(request: Request) -> UserPrincipal:
    """`Depends` form of `principal`: `caller: Caller` in a route's parameters."""
    found = request.context.get(PRINCIPAL)
    if not isinstance(found, UserPrincipal):
        raise Unauthenticated()
    return found


Caller = Annotated[UserPrincipal, Depends(current_principal)]
"""A route parameter typed `Caller` receives the verified user (USER routes)."""


def json_request_body(schema: dict[str, Any], description: str) -> dict[str, Any]:
    """`openapi_extensions` documenting a JSON body that the route parses itself.

    For routes that must not let Powertools validate the body as a whole (a batch judged
    record by record): the schema is documentation only. Its `$defs` (pydantic's
    `model_json_schema()`) are moved into `components/schemas` by `common.openapi`.
    """
    return {
        "requestBody": {
            "description": description,
            "required": True,
            "content": {"application/json": {"schema": schema}},
        }
    }
