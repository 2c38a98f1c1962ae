"""The one error shape of every API (`docs/api-conventions.md`), and the one table that
turns domain exceptions into HTTP statuses.

Every 4xx/5xx body is `ErrorBody`: `error` (a stable code), `message` (words for a person),
`fields` (which input is wrong and why; empty when no field is to blame) and `request_id`
(the API Gateway request id, also in the `X-Request-Id` header and in every log line).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver
from pydantic import BaseModel, ConfigDict, Field

from common.errors import (
    Conflict,
    DomainError,
    FieldProblem,
    Forbidden,
    Gone,
    InvalidInput,
    NotFound,
    RateLimited,
    TooLarge,
    Unauthenticated,
    Unavailable,
)

REQUEST_ID_HEADER = "X-Request-Id"
MAX_REASON_CHARS = 300
"""What an error reflects of the input is bounded: a reason never carries a huge value."""
MAX_FIELDS = 50
RETRY_AFTER_HEADER = "Retry-After"
RETRY_STATUSES = frozenset({HTTPStatus.TOO_MANY_REQUESTS, HTTPStatus.SERVICE_UNAVAILABLE})
DEFAULT_RETRY_AFTER_SECONDS = 1
"""Every 429 and 503 of every API says when to come back (the error's own figure if it has
one: `RateLimited` / `Unavailable.retry_after_seconds`)."""


class FieldError(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    path: str = Field(description="Where: `body.<field>`, `query.<name>`, `path.<name>`...")
    reason: str = Field(description="Why, in words, with the allowed values or an example.")


class ErrorBody(BaseModel):
    """The body of every error response of every service."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    error: str = Field(description="Stable machine-readable code, e.g. `not_found`.")
    message: str = Field(description="What went wrong, for a person.")
    fields: list[FieldError] = Field(description="Each bad input; empty when none is to blame.")
    request_id: str = Field(description="Quote it when asking for help; also in X-Request-Id.")


class GatewayRefusal(BaseModel):
    """What API Gateway itself answers on an HTTP API before any function runs: its JWT
    authorizer refuses a missing, expired or forged token with 401 `{"message": "Unauthorized"}`.
    HTTP APIs cannot reshape that body (only REST APIs have gateway responses), so a user
    route's 401 is this or the `ErrorBody` of the service's own credential check."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    message: str = Field(description="API Gateway's words, e.g. `Unauthorized`.")


STATUS_FOR: Mapping[type[DomainError], HTTPStatus] = {
    Unauthenticated: HTTPStatus.UNAUTHORIZED,
    Forbidden: HTTPStatus.FORBIDDEN,
    NotFound: HTTPStatus.NOT_FOUND,
    Conflict: HTTPStatus.CONFLICT,
    Gone: HTTPStatus.GONE,
    TooLarge: HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    InvalidInput: HTTPStatus.UNPROCESSABLE_ENTITY,
    RateLimited: HTTPStatus.TOO_MANY_REQUESTS,
    Unavailable: HTTPStatus.SERVICE_UNAVAILABLE,
    DomainError: HTTPStatus.BAD_REQUEST,
}
"""Domain exception -> status; a subclass takes its nearest listed ancestor's status."""


def status_for(error: DomainError) -> HTTPStatus:
    for kind in type(error).__mro__:
        if kind in STATUS_FOR:
            return STATUS_FOR[kind]
    return HTTPStatus.BAD_REQUEST


class ApiError(Exception):
    """An HTTP-level refusal raised by the shared API layer or a handler (media type,
    headers): logic raises `common.errors` instead."""

    def __init__(
        self,
        status: HTTPStatus,
        code: str,
        message: str,
        fields: Sequence[FieldProblem | Mapping[str, str]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = tuple(
            f if isinstance(f, FieldProblem) else FieldProblem(f["path"], f["reason"])
            for f in fields
        )
        self.headers = dict(headers or {})


def request_id_of(event: Mapping[str, Any]) -> str:
    context = event.get("requestContext") or {}
    found = context.get("requestId") if isinstance(context, Mapping) else None
    return str(found) if found else "unknown"


def error_body(
    code: str, message: str, fields: Iterable[FieldProblem], request_id: str
) -> dict[str, Any]:
    return ErrorBody(
        error=code,
        message=message,
        fields=[
            FieldError(path=f.path[:200], reason=f.reason[:MAX_REASON_CHARS])
            for f in list(fields)[:MAX_FIELDS]
        ],
        request_id=request_id,
    ).model_dump()


def error_response(
    app: ApiGatewayResolver,
    status: HTTPStatus,
    code: str,
    message: str,
    fields: Iterable[FieldProblem] = (),
    headers: Mapping[str, str] | None = None,
) -> Response[Any]:
    request_id = request_id_of(app.current_event.raw_event)
    sent = {REQUEST_ID_HEADER: request_id, **(headers or {})}
    if status in RETRY_STATUSES:
        sent.setdefault(RETRY_AFTER_HEADER, str(DEFAULT_RETRY_AFTER_SECONDS))
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=error_body(code, message, fields, request_id),
        headers=sent,
    )


def domain_error_response(app: ApiGatewayResolver, error: DomainError) -> Response[Any]:
    headers = {}
    if isinstance(error, RateLimited | Unavailable):
        headers[RETRY_AFTER_HEADER] = str(error.retry_after_seconds)
    return error_response(app, status_for(error), error.code, error.message, error.fields, headers)


_FRIENDLY_REASONS = {
    "string_pattern_mismatch": "does not have the expected format",
    "json_invalid": "is not valid JSON",
}


def reason_of(error: Mapping[str, Any]) -> str:
    """Words for one pydantic/Powertools error: never a regular expression, never the input."""
    kind = str(error.get("type", ""))
    if kind in _FRIENDLY_REASONS:
        return _FRIENDLY_REASONS[kind]
    message = str(error.get("msg") or kind)
    return message.removeprefix("Value error, ")


def field_path(location: Sequence[Any], model_params: frozenset[str] = frozenset()) -> str:
    """`("query", "params", "limit")` -> `query.limit` when `params` is a parameter model;
    `("body", "email")` -> `body.email`. A parameter model's own rule (across fields) is
    reported on its origin (`query`)."""
    parts = [str(p) for p in location]
    if len(parts) >= 2 and parts[0] in {"query", "path", "header"} and parts[1] in model_params:
        parts = [parts[0], *parts[2:]]
    return ".".join(parts) or "body"


def _model_params(app: ApiGatewayResolver) -> frozenset[str]:
    """Names of the current route's parameters that are pydantic models (query/header)."""
    route = app.context.get("_route")
    if route is None:
        return frozenset()
    names = set()
    for param in [*route.dependant.query_params, *route.dependant.header_params]:
        annotation = getattr(param.field_info, "annotation", None)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names.add(param.name)
    return frozenset(names)


def invalid_json_response(app: ApiGatewayResolver) -> Response[Any]:
    return error_response(
        app,
        HTTPStatus.BAD_REQUEST,
        "invalid_json",
        "The body is not valid JSON (or nests too deep, or carries a number too long).",
        [FieldProblem("body", "is not valid JSON")],
    )


def validation_error_response(
    app: ApiGatewayResolver, errors: Sequence[Mapping[str, Any]]
) -> Response[Any]:
    """Powertools' request validation errors in the one shape: malformed JSON is 400,
    anything else 422, each problem named by where it is."""
    if any(e.get("type") == "json_invalid" for e in errors):
        return invalid_json_response(app)
    model_params = _model_params(app)
    problems = [
        FieldProblem(field_path(e.get("loc", ()), model_params), reason_of(e)) for e in errors
    ]
    return error_response(
        app,
        HTTPStatus.UNPROCESSABLE_ENTITY,
        "validation_failed",
        "The request is not valid; see fields.",
        problems,
    )
