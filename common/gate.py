"""What every request meets before its route runs, on every service, in this order:

1. the route must be declared in the topology for this function (else 404);
2. the caller must be authenticated as the route's auth kind says (USER: a Cognito access
   token this service verifies itself; PUBLISHER: the service's API-key check) (else 401;
   503 with Retry-After while the pool's key set cannot be fetched), and a user must have
   requests left in its budget (`common.rate_limit`; else 429 with Retry-After);
3. a body sent to a POST/PUT/PATCH route must be JSON (`application/json`, any charset)
   (else 415);
4. a JSON body must parse, through the bounded parser (`common.json_safety`), even if its
   route takes none (else 400 `invalid_json`), and name each member once (else 422 naming
   it);
5. every query parameter must be one the route declares (else 422 naming it).

Then Powertools validates path, query and body against the route's models (422, or 400 for
a body that is not JSON: the resolver parses with `common.json_safety` too; a route that
parses its body itself, documented with `common.api.json_request_body`, uses it as well).
The gate runs in place of Powertools' request-validation middleware and calls it when the
request passes, so an unauthenticated caller learns nothing about a route's input.
`tests/unit/common/test_common_gate.py` fails if a Powertools upgrade stops running the gate
first; `tests/unit/test_every_body_route_parses_safely.py` walks every body route.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from pydantic import BaseModel

from common.api_errors import error_response, invalid_json_response
from common.errors import FieldProblem, Unavailable
from common.json_safety import REPEATED_REASON, repeated_members
from common.jwt import ACCESS_TOKEN_USE, KeysUnavailable, TokenRejected, bearer_token
from common.principal import UserPrincipal
from common.rate_limit import CallerBudget
from common.topology import JSON_MEDIA_TYPE, AuthKind, Route

PublisherCheck = Callable[[ApiGatewayResolver], Response[Any] | None]
"""Checks a PUBLISHER request inside the service: the refusal, or None once the caller is
known (the check puts the publisher in `app.context`)."""

PRINCIPAL = "principal"
"""Key under which the verified caller is kept in `app.context`."""

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
MAX_REPEATED_NAMED = 20
"""A body naming members twice is answered with the first few of them, not all."""
KEYS_RETRY_AFTER_SECONDS = 5
"""When the pool's key set could not be fetched: a few seconds, then the next attempt."""


def matched_route_key(app: ApiGatewayResolver) -> str | None:
    """`METHOD /path/{param}` of the resolver route handling the current request."""
    route = app.context.get("_route")
    if route is None:
        return None
    return f"{route.method} {route.openapi_path}"


def declared_query_names(route: Any) -> frozenset[str]:
    """The query parameter names a Powertools route takes (a parameter model's fields
    count one by one)."""
    names: set[str] = set()
    for param in route.dependant.query_params:
        annotation = getattr(param.field_info, "annotation", None)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names.update(field.alias or name for name, field in annotation.model_fields.items())
        else:
            names.add(param.alias)
    return frozenset(names)


def _header(app: ApiGatewayResolver, name: str) -> str:
    for key, value in (app.current_event.headers or {}).items():
        if key.lower() == name:
            return str(value)
    return ""


def media_type_of(content_type: str) -> str:
    """`application/json; charset=utf-8` -> `application/json`."""
    return content_type.split(";", 1)[0].strip().lower()


def is_json_media_type(content_type: str) -> bool:
    return media_type_of(content_type) == JSON_MEDIA_TYPE


class RequestGate:
    """The checks above, as a callable that stands where Powertools' request validation
    middleware stood, and calls that middleware once the request passes."""

    def __init__(
        self,
        routes: Iterable[Route],
        verifier: Callable[[], Any] | None,
        publisher_check: PublisherCheck | None,
        validation: Callable[[ApiGatewayResolver, NextMiddleware], Response[Any]],
        caller_budget: Callable[[], CallerBudget] | None = None,
    ) -> None:
        routes = tuple(routes)
        self._declared = {f"{r.method} {r.path}": r.auth for r in routes}
        self._media_types = {f"{r.method} {r.path}": r.media_types for r in routes}
        self._verifier = verifier
        self._caller_budget = caller_budget
        self._publisher_check = publisher_check
        self._validation = validation
        self.__name__ = "RequestGate"

    def __call__(self, app: ApiGatewayResolver, next_middleware: NextMiddleware) -> Response[Any]:
        return self.refusal(app) or self._validation(app, next_middleware)

    def refusal(self, app: ApiGatewayResolver) -> Response[Any] | None:
        return (
            self._unauthenticated(app)
            or self._wrong_media_type(app)
            or self._unreadable_body(app)
            or self._unknown_query(app)
        )

    def _unauthenticated(self, app: ApiGatewayResolver) -> Response[Any] | None:
        """Decided on the route Powertools matched (kept in the context), not on the
        event's routeKey, so authentication and dispatch can never disagree."""
        auth = self._declared.get(matched_route_key(app) or "")
        if auth is None:
            return error_response(app, HTTPStatus.NOT_FOUND, "not_found", "No such route.")
        if auth is AuthKind.PUBLIC:
            return None
        if auth is AuthKind.PUBLISHER:
            if self._publisher_check is None:
                return _unauthorized(app)
            return self._publisher_check(app)
        if self._verifier is None:
            return _unauthorized(app)
        try:
            claims = self._verifier().verify(
                bearer_token(app.current_event.headers), require_token_use=ACCESS_TOKEN_USE
            )
        except KeysUnavailable as unreachable:
            raise Unavailable(
                "Signing in cannot be checked right now; try again shortly.",
                retry_after_seconds=KEYS_RETRY_AFTER_SECONDS,
            ) from unreachable
        except TokenRejected:
            return _unauthorized(app)
        app.append_context(
            **{
                PRINCIPAL: UserPrincipal(
                    sub=claims["sub"], username=str(claims.get("username", "")), claims=claims
                )
            }
        )
        return self._over_budget(app, str(claims["sub"]))

    def _over_budget(self, app: ApiGatewayResolver, caller: str) -> Response[Any] | None:
        if self._caller_budget is None:
            return None
        wait = self._caller_budget().take(caller, time.time())
        if wait is None:
            return None
        return error_response(
            app,
            HTTPStatus.TOO_MANY_REQUESTS,
            "rate_limited",
            "Too many requests; retry after the Retry-After header's seconds.",
            headers={"Retry-After": str(wait)},
        )

    def _wrong_media_type(self, app: ApiGatewayResolver) -> Response[Any] | None:
        event = app.current_event
        if event.http_method.upper() not in BODY_METHODS or not event.body:
            return None
        accepted = self._media_types.get(matched_route_key(app) or "", (JSON_MEDIA_TYPE,))
        if media_type_of(_header(app, "content-type")) in accepted:
            _lower_media_type(event.raw_event.get("headers") or {})
            return None
        if accepted == (JSON_MEDIA_TYPE,):
            message = "Send the body as JSON with Content-Type: application/json."
        else:
            message = f"Send the body as one of: {', '.join(accepted)}."
        return error_response(
            app,
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            message,
            [FieldProblem("header.content-type", f"must be {' or '.join(accepted)}")],
        )

    @staticmethod
    def _unreadable_body(app: ApiGatewayResolver) -> Response[Any] | None:
        """Every JSON body is parsed here, through the bounded parser, whether or not its
        route looks at it, so every route answers a malformed body alike (the parse is
        cached on the event, and Powertools validates the same value). A member named twice
        is refused (422 naming it): readers disagree on which of the two counts, so the
        value must not be read one way here and another way elsewhere. Every JSON body must
        be UTF-8 text: a base64-encoded one whose bytes are not would fail its decoding
        before any parser could refuse it. A route that parses its body itself (documented
        with `common.api.json_request_body`) is only decoded: it refuses all of this itself."""
        route = app.context.get("_route")
        event = app.current_event
        if route is None or event.http_method.upper() not in BODY_METHODS or not event.body:
            return None
        if media_type_of(_header(app, "content-type")) != JSON_MEDIA_TYPE:
            return None  # a form the route takes (the media type rule ran before)
        try:
            if "requestBody" in (route.openapi_extensions or {}):
                event.decoded_body  # noqa: B018 (decoded for its refusal; cached)
                return None
            repeated = repeated_members(event.json_body)
        except ValueError:
            return invalid_json_response(app)
        if not repeated:
            return None
        return error_response(
            app,
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "validation_failed",
            "The request is not valid; see fields.",
            [
                FieldProblem(".".join(("body", *path))[:200], REPEATED_REASON)
                for path in repeated[:MAX_REPEATED_NAMED]
            ],
        )

    @staticmethod
    def _unknown_query(app: ApiGatewayResolver) -> Response[Any] | None:
        route = app.context.get("_route")
        sent = set((app.current_event.query_string_parameters or {}).keys())
        if route is None or not sent:
            return None
        known = declared_query_names(route)
        unknown = sorted(sent - known)
        if not unknown:
            return None
        allowed = ", ".join(sorted(known)) or "none"
        return error_response(
            app,
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "validation_failed",
            "The request is not valid; see fields.",
            [
                FieldProblem(f"query.{name[:64]}", f"is not a parameter of this route ({allowed})")
                for name in unknown
            ],
        )


def _lower_media_type(headers: dict[str, Any]) -> None:
    """Media types are case-insensitive (`Application/JSON` is JSON), but Powertools reads
    the header as written and would answer 415 in its own shape: the accepted media type
    goes on in lower case."""
    for name, value in headers.items():
        if name.lower() == "content-type" and isinstance(value, str):
            media_type, separator, parameters = value.partition(";")
            headers[name] = media_type.strip().lower() + separator + parameters


def _unauthorized(app: ApiGatewayResolver) -> Response[Any]:
    return error_response(app, HTTPStatus.UNAUTHORIZED, "unauthorized", "Unauthorized")


def install_gate(
    app: ApiGatewayResolver,
    routes: Iterable[Route],
    verifier: Callable[[], Any] | None,
    publisher_check: PublisherCheck | None,
    caller_budget: Callable[[], CallerBudget] | None = None,
) -> RequestGate:
    """Put the gate where Powertools runs its request validation (first, before any
    middleware), wrapping that validation."""
    validation = app._request_validation_middleware
    gate = RequestGate(routes, verifier, publisher_check, validation, caller_budget)
    app._request_validation_middleware = gate  # type: ignore[assignment]
    return gate
