"""API Gateway REST API REQUEST authorizer of the ingest API (identity source: x-api-key).

Answers an IAM policy: Allow on the called method with the context `{publisher_id}` and the
publisher's usage-plan key as `usageIdentifierKey` (the API's key source is AUTHORIZER: the
gateway throttles each publisher on its own bucket of the usage plan), or an explicit Deny
when the key is missing, unknown, revoked or expired, when the publisher has no usage-plan
key (registered before usage plans: denied with a warning; register it anew), or when the
request carries a bearer token (a user's: user tokens never open ingest routes). The REST
API's gateway responses turn the Deny (ACCESS_DENIED) into 401. The key is accepted only in
`x-api-key`; the service re-checks it itself.

Results must not be cached (the API's authorizer result TTL is 0): a revocation must refuse
the very next request, and the Allow names only the method that was called.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.data_classes import event_source
from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import (
    APIGatewayAuthorizerRequestEvent,
    APIGatewayAuthorizerResponse,
)
from aws_lambda_powertools.utilities.data_classes.common import CaseInsensitiveDict
from aws_lambda_powertools.utilities.typing import LambdaContext

from services.provisioning.dependencies import clock, publisher_store
from services.provisioning.handlers.telemetry import obs
from services.provisioning.logic.publisher_access import authenticate

API_KEY_HEADER = "x-api-key"
ANONYMOUS = "anonymous"


def _deny(event: APIGatewayAuthorizerRequestEvent) -> dict[str, Any]:
    policy = APIGatewayAuthorizerResponse.from_route_arn(event.method_arn, ANONYMOUS)
    policy.deny_all_routes()
    return policy.asdict()


@obs.logger.inject_lambda_context
@event_source(data_class=APIGatewayAuthorizerRequestEvent)
def handler(event: APIGatewayAuthorizerRequestEvent, context: LambdaContext) -> dict[str, Any]:
    headers = CaseInsensitiveDict(event.get("headers") or {})
    if headers.get("authorization") is not None:
        obs.logger.info("publisher route called with a bearer token: denied")
        return _deny(event)
    presented = headers.get(API_KEY_HEADER)
    if not presented:
        return _deny(event)
    publisher = authenticate(publisher_store(), presented, clock()())
    if publisher is None:
        obs.logger.info("unknown, revoked or expired API key: denied")
        return _deny(event)
    if publisher.usage_key is None:
        obs.logger.warning(
            "publisher has no usage plan key (registered before usage plans): denied",
            extra={"publisher_id": publisher.publisher_id},
        )
        return _deny(event)
    called = event.parsed_arn
    policy = APIGatewayAuthorizerResponse.from_route_arn(
        event.method_arn,
        publisher.publisher_id,
        context={"publisher_id": publisher.publisher_id},
        usage_identifier_key=publisher.usage_key.value,
    )
    try:
        policy.allow_route(str(called.http_method), "/" + called.resource)
    except ValueError:
        # A path Powertools will not put in a policy (e.g. percent-encoded): the method on
        # any path of this stage; the result is never cached, so it serves this call only.
        policy.allow_all_routes(str(called.http_method))
    return policy.asdict()
