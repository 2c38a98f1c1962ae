"""Turning a service's resolver into a Lambda handler, the same way for every service."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache, partial
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from common.api import PublisherCheck, create_resolver, function_routes
from common.api_errors import REQUEST_ID_HEADER, error_body, request_id_of
from common.jwt import JwtVerifier, load_token_library
from common.observability import Observability
from common.rate_limit import budget_from_env
from common.settings import JwtSettings, ServiceSettings, load_settings
from common.topology import AuthKind, ServiceTopology


def internal_error(event: dict[str, Any]) -> dict[str, Any]:
    """What a request gets when its handler fails unexpectedly: the one error shape."""
    request_id = request_id_of(event)
    return {
        "statusCode": 500,
        "headers": {"Content-Type": "application/json", REQUEST_ID_HEADER: request_id},
        "body": json.dumps(error_body("internal", "Internal error.", (), request_id)),
        "isBase64Encoded": False,
    }


def with_request_id(response: dict[str, Any], request_id: str) -> dict[str, Any]:
    """Every response names its request (`X-Request-Id`), as every log line does."""
    if "multiValueHeaders" in response:
        response["multiValueHeaders"].setdefault(REQUEST_ID_HEADER, [request_id])
    else:
        response.setdefault("headers", {}).setdefault(REQUEST_ID_HEADER, request_id)
    return response


LambdaHandler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def jwt_verifier_from_env() -> JwtVerifier:
    jwt_settings = load_settings(JwtSettings)
    return JwtVerifier(jwt_settings.jwt_issuer, jwt_settings.audiences, jwt_settings.jwks_url)


def service_resolver(
    topology: ServiceTopology,
    settings_type: type[ServiceSettings] = ServiceSettings,
    publisher_check: PublisherCheck | None = None,
    *,
    function: str | None = None,
) -> ApiGatewayResolver:
    """The resolver of one function of the service (default: the HTTP API's routes);
    settings, JWKS and the callers' budget table are read once, on first request."""
    needs_tokens = any(r.auth is AuthKind.USER for r in function_routes(topology, function))
    if needs_tokens:
        load_token_library()
    verifier = cache(jwt_verifier_from_env) if needs_tokens else None
    budget = cache(budget_from_env) if needs_tokens else None
    settings = cache(partial(load_settings, settings_type))
    return create_resolver(
        topology,
        settings,
        verifier,
        publisher_check=publisher_check,
        function=function,
        caller_budget=budget,
    )


def http_handler(app: ApiGatewayResolver, obs: Observability) -> LambdaHandler:
    """The Lambda entry point for an API function: JSON logs keyed by the API request id
    (REST API payload 1.0 for the ingest API, HTTP API payload 2.0 otherwise)."""
    correlation_path = (
        correlation_paths.API_GATEWAY_REST
        if isinstance(app, APIGatewayRestResolver)
        else correlation_paths.API_GATEWAY_HTTP
    )

    @obs.logger.inject_lambda_context(correlation_id_path=correlation_path)
    # Not the answer in the trace (the Tracer's default): it may carry what is shown once
    # (a publisher's key) or grants access (a signed URL), and traces are not redacted.
    @obs.tracer.capture_lambda_handler(capture_response=False)
    @obs.metrics.log_metrics
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        try:
            return with_request_id(app.resolve(event, context), request_id_of(event))
        except Exception:
            # Logged here, through the redacting logger, rather than by the Lambda runtime
            # (which would print the raw exception); the caller learns nothing internal.
            obs.logger.exception("unhandled error")
            obs.metrics.add_metric(name="UnhandledErrors", unit=MetricUnit.Count, value=1)
            return internal_error(event)

    entry_point: LambdaHandler = handler
    return entry_point
