"""Turning a service's resolver into a Lambda handler, the same way for every service."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache, partial
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from common.api import PublisherCheck, create_resolver
from common.jwt import JwtVerifier
from common.observability import Observability
from common.settings import JwtSettings, ServiceSettings, load_settings
from common.topology import ServiceTopology

INTERNAL_ERROR: dict[str, Any] = {
    "statusCode": 500,
    "headers": {"Content-Type": "application/json"},
    "body": json.dumps({"error": "internal", "message": "Internal error."}),
    "isBase64Encoded": False,
}

LambdaHandler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def jwt_verifier_from_env() -> JwtVerifier:
    jwt_settings = load_settings(JwtSettings)
    return JwtVerifier(jwt_settings.jwt_issuer, jwt_settings.audiences, jwt_settings.jwks_url)


def service_resolver(
    topology: ServiceTopology,
    settings_type: type[ServiceSettings] = ServiceSettings,
    publisher_check: PublisherCheck | None = None,
) -> APIGatewayHttpResolver:
    """The service's resolver; settings and JWKS are read once, on first request."""
    verifier = cache(jwt_verifier_from_env) if topology.has_user_routes else None
    settings = cache(partial(load_settings, settings_type))
    return create_resolver(topology, settings, verifier, publisher_check=publisher_check)


def http_handler(app: APIGatewayHttpResolver, obs: Observability) -> LambdaHandler:
    """The Lambda entry point for an HTTP API: JSON logs keyed by the API request id."""

    @obs.logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
    @obs.tracer.capture_lambda_handler
    @obs.metrics.log_metrics
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        try:
            return app.resolve(event, context)
        except Exception:
            # Logged here, through the redacting logger, rather than by the Lambda runtime
            # (which would print the raw exception); the caller learns nothing internal.
            obs.logger.exception("unhandled error")
            obs.metrics.add_metric(name="UnhandledErrors", unit=MetricUnit.Count, value=1)
            return INTERNAL_ERROR

    return handler
