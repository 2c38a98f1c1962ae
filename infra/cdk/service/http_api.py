"""The service's HTTP API: Cognito users (JWT authorizer) and public routes, CORS from the
policy the local gateway plays too, JSON access logs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import aws_cdk as cdk
import jsii
from aws_cdk import aws_apigateway as apigw_v1
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations

from common.topology import AuthKind
from infra.browser import CorsPolicy, cors_policy
from infra.cdk.nag import acknowledge
from infra.cdk.service.base import log_group

if TYPE_CHECKING:
    from infra.cdk.service.stack import ServiceStack


def http_api(stack: ServiceStack) -> apigw.HttpApi:
    topology, stage = stack.topology, stack.stage_config
    name = topology.resource_name(stage.name, "api")
    api = apigw.HttpApi(
        stack,
        "HttpApi",
        api_name=name,
        create_default_stage=False,
        cors_preflight=_cors_preflight(cors_policy(topology, [stage.portal_url])),
    )
    access_logs = log_group(
        stack, "Logs-api-access", f"/scts/{stage.name}/{topology.service}/api-access"
    )
    apigw.HttpStage(
        stack,
        "HttpStage",
        http_api=api,
        stage_name="$default",
        auto_deploy=True,
        detailed_metrics_enabled=True,
        throttle=apigw.ThrottleSettings(
            rate_limit=stage.api_rate_limit,
            burst_limit=stage.api_burst_limit,
        ),
        access_log_settings=_AccessLogSettings(apigw.LogGroupLogDestination(access_logs)),
    )
    user_authorizer = authorizers.HttpJwtAuthorizer(
        "UserJwt",
        stack.platform.values(stack.region).jwt_issuer,
        jwt_audience=[stack.platform.spa_client_id],
        authorizer_name=f"{name}-user-jwt",
    )
    integration_by_function: dict[str, integrations.HttpLambdaIntegration] = {}
    for route in topology.http_routes:
        integration = integration_by_function.setdefault(
            route.function,
            integrations.HttpLambdaIntegration(
                f"Integration-{route.function}", stack.resources.functions[route.function]
            ),
        )
        authorizer: apigw.IHttpRouteAuthorizer = (
            user_authorizer if route.auth is AuthKind.USER else apigw.HttpNoneAuthorizer()
        )
        routes = api.add_routes(
            path=route.path,
            methods=[apigw.HttpMethod(route.method)],
            integration=integration,
            authorizer=authorizer,
        )
        if route.auth is AuthKind.PUBLIC:
            for created in routes:
                acknowledge(
                    created,
                    "AwsSolutions-APIG4",
                    f"{route.method} {route.path} is declared PUBLIC in the topology "
                    "(no credential).",
                )
    stack.api_url_output = cdk.CfnOutput(stack, "ApiUrl", value=api.api_endpoint)
    return api


def _cors_preflight(policy: CorsPolicy) -> apigw.CorsPreflightOptions:
    """The HTTP API's CORS configuration from the policy the local gateway plays too."""
    return apigw.CorsPreflightOptions(
        allow_origins=list(policy.allow_origins),
        allow_methods=[apigw.CorsHttpMethod(method) for method in policy.allow_methods],
        allow_headers=list(policy.allow_headers),
        expose_headers=list(policy.expose_headers),
        max_age=cdk.Duration.seconds(policy.max_age_seconds),
    )


@jsii.implements(apigw.IAccessLogSettings)
class _AccessLogSettings:
    """JSON access logs; no headers, so no credential can land in them."""

    def __init__(self, destination: apigw.IAccessLogDestination) -> None:
        self._destination = destination

    @property
    def destination(self) -> apigw.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigw_v1.AccessLogFormat:
        return access_log_format(ACCESS_LOG_FIELDS)


def access_log_format(fields: dict[str, str]) -> apigw_v1.AccessLogFormat:
    """One JSON object per request; only $context values, never headers or bodies."""
    return apigw_v1.AccessLogFormat.custom(json.dumps(fields))


COMMON_ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "status": "$context.status",
    "latencyMs": "$context.responseLatency",
    "integrationError": "$context.integrationErrorMessage",
    "authorizerError": "$context.authorizer.error",
}
ACCESS_LOG_FIELDS = {**COMMON_ACCESS_LOG_FIELDS, "routeKey": "$context.routeKey"}
