"""The service's REST ingest API: publisher (API key) routes behind a Lambda REQUEST
authorizer, gateway responses in the one error shape, a regional WAF and the publishers'
usage plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigw_v1
from aws_cdk import aws_iam as iam
from aws_cdk import aws_wafv2 as wafv2

from common.topology import UsagePlan
from infra.cdk.nag import acknowledge, logical_id
from infra.cdk.service.base import log_group, role_policy
from infra.cdk.service.http_api import COMMON_ACCESS_LOG_FIELDS, access_log_format
from infra.cdk.waf import web_acl
from infra.shape.gateway import INGEST_GATEWAY_RESPONSES
from infra.shape.resources import usage_plan_environment, usage_plan_name

if TYPE_CHECKING:
    from infra.cdk.service.stack import ServiceStack

INGEST_WAF_BODY_SIZE_RULE = "SizeRestrictions_BODY"
"""Common-rule-set rule that blocks bodies over 8 KB; ingest batches are up to 1 MB (the
service answers 413 above that), so on the ingest API it only counts."""
WAF_RATE_WINDOW_SECONDS = 300
IAM5_USAGE_KEY_FINDINGS = (
    "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:{region}::/apikeys/*]",
    "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:{region}::/usageplans/"
    "<{plan}>/keys/*]",
)
"""The key managers' DELETE rights (cleanup of a failed registration), one finding each."""
INGEST_ACCESS_LOG_FIELDS = {
    **COMMON_ACCESS_LOG_FIELDS,
    "method": "$context.httpMethod",
    "resourcePath": "$context.resourcePath",
    "responseType": "$context.error.responseType",
    "principal": "$context.authorizer.principalId",
    "authorizerStatus": "$context.authorizer.status",
    "wafStatus": "$context.wafResponseCode",
}


def ingest_api(stack: ServiceStack) -> apigw_v1.RestApi:
    """The REST API serving the topology's ingest (publisher) routes, payload format 1.0.

    REST rather than HTTP API: a refused key must answer 401 (gateway responses; an HTTP
    API answers a Lambda-authorizer denial with 403), and only a REST stage carries a
    regional WAF web ACL and usage plans.
    """
    topology, config = stack.topology, stack.stage_config
    stage_name = config.name
    name = topology.resource_name(stage_name, "ingest-api")
    assert topology.publisher_authorizer is not None  # the topology validator ensures it
    access_logs = log_group(
        stack,
        "Logs-ingest-api-access",
        f"/scts/{stage_name}/{topology.service}/ingest-api-access",
    )
    plan = topology.publisher_usage_plan
    api = apigw_v1.RestApi(
        stack,
        "IngestApi",
        rest_api_name=name,
        description=f"{topology.service}: publisher (API key) ingest routes.",
        endpoint_types=[apigw_v1.EndpointType.REGIONAL],
        # The account-level logging role is the platform stack's (one per account).
        cloud_watch_role=False,
        # Usage plan keys come from the authorizer's usageIdentifierKey, never a header.
        api_key_source_type=(
            apigw_v1.ApiKeySourceType.AUTHORIZER if plan else apigw_v1.ApiKeySourceType.HEADER
        ),
        deploy_options=apigw_v1.StageOptions(
            stage_name=stage_name,
            # The whole API's ceiling; each publisher's own throttle is the usage plan.
            throttling_rate_limit=config.api_rate_limit,
            throttling_burst_limit=config.api_burst_limit,
            access_log_destination=apigw_v1.LogGroupLogDestination(access_logs),
            access_log_format=access_log_format(INGEST_ACCESS_LOG_FIELDS),
            tracing_enabled=True,
            metrics_enabled=True,
            # Execution logs: errors only, never request/response data (bodies carry
            # publisher data; headers carry the API key).
            logging_level=apigw_v1.MethodLoggingLevel.ERROR,
            data_trace_enabled=False,
        ),
    )
    execution_logs = log_group(
        stack,
        # The name API Gateway writes execution logs to; created here so it is
        # KMS-encrypted and has a retention, instead of API Gateway's default group.
        "Logs-ingest-api-execution",
        f"API-Gateway-Execution-Logs_{api.rest_api_id}/{stage_name}",
    )
    api.deployment_stage.node.add_dependency(execution_logs)
    authorizer = apigw_v1.RequestAuthorizer(
        stack,
        "PublisherApiKey",
        authorizer_name=f"{name}-publisher",
        handler=stack.resources.functions[topology.publisher_authorizer],
        identity_sources=[apigw_v1.IdentitySource.header("x-api-key")],
        # No caching: a revoked or expired key must be refused on its very next request
        # (issue 5: "revoke (immediate)"); a cached Allow would stay valid for the TTL.
        results_cache_ttl=cdk.Duration.seconds(0),
    )
    for response_type, response in INGEST_GATEWAY_RESPONSES.items():
        api.add_gateway_response(
            f"Response-{response_type}",
            type=apigw_v1.ResponseType.of(response_type),
            status_code=str(response.status),
            templates={"application/json": response.template()},
            response_headers={name: f"'{value}'" for name, value in response.headers.items()},
        )
    integration_by_function: dict[str, apigw_v1.LambdaIntegration] = {}
    for route in topology.ingest_routes:
        integration = integration_by_function.setdefault(
            route.function,
            apigw_v1.LambdaIntegration(
                stack.resources.functions[route.function], allow_test_invoke=False
            ),
        )
        method = api.root.resource_for_path(route.path).add_method(
            route.method,
            integration,
            authorizer=authorizer,
            authorization_type=apigw_v1.AuthorizationType.CUSTOM,
            api_key_required=plan is not None,
        )
        acknowledge(
            method,
            "AwsSolutions-COG4",
            f"{route.method} {route.path} is a publisher route: a Lambda REQUEST "
            "authorizer checks the STX API key (x-api-key); publishers are not Cognito users.",
        )
    acknowledge(
        api,
        "AwsSolutions-APIG2",
        "Bodies are validated in the service, record by record (each record accepted, "
        "duplicate or rejected with field and reason); a gateway body model would refuse "
        "whole batches. Paths and the optional dry_run query need no gateway validation.",
    )
    acl = web_acl(
        stack,
        "IngestWebAcl",
        name=name,
        waf_scope="REGIONAL",
        # Above what one publisher may send at its usage-plan throttle in the window.
        rate_limit_per_ip=max(
            config.waf_rate_limit_per_ip,
            WAF_RATE_WINDOW_SECONDS * (plan.rate_limit if plan else 0),
        ),
        common_rules_count_only=(INGEST_WAF_BODY_SIZE_RULE,),
    )
    wafv2.CfnWebACLAssociation(
        stack,
        "IngestWebAclAssociation",
        resource_arn=api.deployment_stage.stage_arn,
        web_acl_arn=acl.attr_arn,
    ).node.add_dependency(api.deployment_stage)
    if plan is not None:
        _publisher_usage_plan(stack, api, plan)
    api.node.try_remove_child("Endpoint")  # CDK's hashed-id output; this one is named
    stack.ingest_api_url_output = cdk.CfnOutput(stack, "IngestApiUrl", value=api.url)
    return api


def _publisher_usage_plan(stack: ServiceStack, api: apigw_v1.RestApi, plan: UsagePlan) -> None:
    """Each publisher's own throttle: a usage plan on the ingest stage, whose API keys the
    key managers create (one per publisher) and may delete again (failed registration)."""
    topology = stack.topology
    usage_plan = api.add_usage_plan(
        "PublisherUsagePlan",
        name=usage_plan_name(topology, stack.stage_config.name),
        description=f"{topology.service}: each publisher's throttle on the ingest API.",
        throttle=apigw_v1.ThrottleSettings(
            rate_limit=plan.rate_limit, burst_limit=plan.burst_limit
        ),
        api_stages=[apigw_v1.UsagePlanPerApiStage(api=api, stage=api.deployment_stage)],
    )
    api_keys = f"arn:{stack.partition}:apigateway:{stack.region}::/apikeys"
    region = "<AWS::Region>" if cdk.Token.is_unresolved(stack.region) else stack.region
    plan_keys = (
        f"arn:{stack.partition}:apigateway:{stack.region}::/usageplans/"
        f"{usage_plan.usage_plan_id}/keys"
    )
    for manager in plan.key_managers:
        function = stack.resources.functions[manager]
        for name, value in usage_plan_environment(
            topology, manager, usage_plan.usage_plan_id
        ).items():
            function.add_environment(name, value)
        function.add_to_role_policy(
            iam.PolicyStatement(
                actions=["apigateway:POST"],
                resources=[api_keys, plan_keys],
            )
        )
        function.add_to_role_policy(
            iam.PolicyStatement(
                actions=["apigateway:DELETE"], resources=[f"{api_keys}/*", f"{plan_keys}/*"]
            )
        )
        for finding in IAM5_USAGE_KEY_FINDINGS:
            acknowledge(
                role_policy(function),
                finding.format(region=region, plan=logical_id(usage_plan)),
                "Deletes the API key it has just created (and its plan membership) when "
                "storing the new publisher fails; API Gateway generates key ids, so no "
                "narrower ARN exists in advance.",
            )
