"""What a REST API answers itself (gateway responses), in the one error shape: the CDK
ingest API declares these responses, the local gateway answers from the same table."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

REQUEST_ID_VARIABLE = "$context.requestId"
"""API Gateway's template variable for the request id (the local gateway substitutes it)."""


@dataclass(frozen=True)
class GatewayResponse:
    """What a REST API answers itself (before or instead of the function), in the one error
    shape of every API (docs/api-conventions.md)."""

    status: int
    error: str
    message: str
    headers: Mapping[str, str] = field(default_factory=dict)

    def template(self) -> str:
        """The body template: the error shape, its request id filled in by API Gateway."""
        return json.dumps(
            {
                "error": self.error,
                "message": self.message,
                "fields": [],
                "request_id": REQUEST_ID_VARIABLE,
            }
        )


INGEST_GATEWAY_RESPONSES: Mapping[str, GatewayResponse] = {
    "UNAUTHORIZED": GatewayResponse(401, "unauthorized", "Unauthorized"),
    "ACCESS_DENIED": GatewayResponse(401, "unauthorized", "Unauthorized"),
    "AUTHORIZER_FAILURE": GatewayResponse(500, "internal", "Internal error."),
    "INVALID_API_KEY": GatewayResponse(403, "forbidden", "Forbidden"),
    "THROTTLED": GatewayResponse(429, "throttled", "Too many requests.", {"Retry-After": "1"}),
    "REQUEST_TOO_LARGE": GatewayResponse(413, "too_large", "Too large."),
    "MISSING_AUTHENTICATION_TOKEN": GatewayResponse(404, "not_found", "No such route."),
}
"""Gateway responses of the ingest (REST) API, keyed by API Gateway response type: a refused
key (authorizer Deny: ACCESS_DENIED) is 401, not REST's default 403; an unmatched route is 404;
an Allow whose usage key is missing or not in the usage plan is 403 (INVALID_API_KEY) and a
publisher over its usage-plan throttle is 429 (THROTTLED).
The CDK stack and the local gateway both answer from this table."""
