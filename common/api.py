"""The HTTP API every service exposes: a Powertools resolver with OpenAPI validation,
authentication inside the service (zero trust), uniform errors and `/v1/version`.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict

from common.jwt import ACCESS_TOKEN_USE, JwtVerifier, TokenRejected, bearer_token
from common.settings import ServiceSettings
from common.topology import AuthKind, ServiceTopology

PublisherCheck = Callable[[APIGatewayHttpResolver], Response[Any] | None]
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


def create_resolver(
    topology: ServiceTopology,
    settings: Callable[[], ServiceSettings],
    verifier: Callable[[], JwtVerifier] | None,
    publisher_check: PublisherCheck | None = None,
) -> APIGatewayHttpResolver:
    """A resolver with the shared behaviour; the service registers its own routes on it.

    `settings` and `verifier` are called on first use, so the resolver (and its OpenAPI
    document) can be built without any environment. Every request must match a declared
    route of `topology`; USER routes need an access token this service verifies itself,
    PUBLISHER routes pass through `publisher_check` (the service's API-key check).
    """
    app = APIGatewayHttpResolver(enable_validation=True)
    declared = {f"{r.method} {r.path}": r.auth for r in topology.routes}

    def refusal(app: APIGatewayHttpResolver) -> Response[Any] | None:
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

    def authenticate(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
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


def matched_route_key(app: APIGatewayHttpResolver) -> str | None:
    """`METHOD /path/{param}` of the resolver route handling the current request."""
    route = app.context.get("_route")
    if route is None:
        return None
    return f"{route.method} {route.openapi_path}"


def principal(app: APIGatewayHttpResolver) -> UserPrincipal:
    """The verified caller of the current request (only on USER routes)."""
    found = app.context.get(PRINCIPAL)
    if not isinstance(found, UserPrincipal):
        raise ApiError(HTTPStatus.UNAUTHORIZED, "unauthorized", "Unauthorized")
    return found


def openapi_document(app: APIGatewayHttpResolver, service: str, version: str) -> str:
    """The service's OpenAPI document, generated from its registered routes."""
    return app.get_openapi_json_schema(
        title=f"SCTS {service} API", version=version, description=f"The {service} service."
    )
