"""API Gateway (HTTP API) REQUEST authorizer for publisher routes, simple responses.

The key is accepted only in `x-api-key`; a request that carries a bearer token is a
user's, and user tokens never open ingest routes. The service re-checks the key itself.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from common.observability import observability
from services.provisioning.handlers.dependencies import publisher_store
from services.provisioning.logic.publishers import authenticate
from services.provisioning.topology import TOPOLOGY

obs = observability(TOPOLOGY.service)

DENY: dict[str, Any] = {"isAuthorized": False}


def _header(event: dict[str, Any], name: str) -> str | None:
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name:
            return str(value)
    return None


@obs.logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if _header(event, "authorization") is not None:
        obs.logger.info("publisher route called with a bearer token: denied")
        return DENY
    presented = _header(event, "x-api-key")
    if not presented:
        return DENY
    publisher = authenticate(publisher_store(), presented, datetime.now(UTC))
    if publisher is None:
        obs.logger.info("unknown, revoked or expired API key: denied")
        return DENY
    return {"isAuthorized": True, "context": {"publisher_id": publisher.publisher_id}}
