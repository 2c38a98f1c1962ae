"""The ingest API's own check of every publisher request (`common.gate` runs it before the
route), and how routes receive the publisher it admitted.

The gateway's REQUEST authorizer has already checked the key; the service checks it again
(zero trust: the authorizer's verdict is cross-checked, never trusted alone). The REST API
answers 401 itself to a refused key (gateway responses); this re-check answers 401 too.
"""

from __future__ import annotations

import secrets
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Depends, Response
from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver
from aws_lambda_powertools.event_handler.request import Request

from common.api_errors import domain_error_response, error_response
from common.errors import DomainError, Unauthenticated
from services.provisioning import dependencies
from services.provisioning.logic.publisher_access import admit
from services.provisioning.models.publishers import Publisher

PUBLISHER = "publisher"
"""Key under which the admitted publisher is kept in the resolver's context."""
API_KEY_HEADER = "x-api-key"


def _unauthorized(app: ApiGatewayResolver) -> Response[Any]:
    return error_response(app, HTTPStatus.UNAUTHORIZED, "unauthorized", "Unauthorized")


def authorizer_publisher_id(app: ApiGatewayResolver) -> str | None:
    """The publisher the REST API's authorizer allowed (its context lands flat in
    `requestContext.authorizer`); None when no authorizer ran (in-process calls)."""
    context = app.current_event.raw_event.get("requestContext", {}).get("authorizer") or {}
    found = context.get("publisher_id")
    return None if found is None else str(found)


def publisher_check(app: ApiGatewayResolver) -> Response[Any] | None:
    """The key again, inside the service; a user's bearer token never opens these routes."""
    headers = app.current_event.headers
    presented = headers.get(API_KEY_HEADER)
    if headers.get("authorization") or not presented:
        return _unauthorized(app)
    try:
        publisher = admit(
            dependencies.publisher_store(),
            presented,
            authorizer_publisher_id(app),
            dependencies.settings().publisher_requests_per_minute,
            dependencies.clock()(),
        )
    except DomainError as refused:
        return domain_error_response(app, refused)
    app.append_context(**{PUBLISHER: publisher})
    return None


def current_publisher(request: Request) -> Publisher:
    """`Depends` form: the publisher `publisher_check` admitted for this request."""
    found = request.context.get(PUBLISHER)
    if not isinstance(found, Publisher):
        raise Unauthenticated()
    return found


def correlation_id(request: Request) -> str:
    """The API Gateway request id: the correlation id of the events this request causes."""
    context = request.resolved_event.raw_event.get("requestContext", {})
    return str(context.get("requestId") or f"req-{secrets.token_hex(8)}")


CallingPublisher = Annotated[Publisher, Depends(current_publisher)]
CorrelationId = Annotated[str, Depends(correlation_id)]
