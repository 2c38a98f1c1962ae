"""Every declared route, table, function and subscription exists in the synthesized
CloudFormation, with the declared settings (foundation issue item 3)."""

from __future__ import annotations

import json

import pytest

from common.topology import USAGE_PLAN_ENV, AuthKind
from infra.shape.gateway import INGEST_GATEWAY_RESPONSES
from infra.shape.resources import rule_pattern
from tests.infra import gates

pytestmark = [pytest.mark.infra, pytest.mark.xdist_group("infra")]

AUTHORIZATION_TYPE = {AuthKind.USER: "JWT", AuthKind.PUBLISHER: "CUSTOM", AuthKind.PUBLIC: "NONE"}


def _service_templates(synthesized):
    for stage in synthesized.stages:
        for service, template in synthesized.service_templates(stage).items():
            yield stage.stage_config.name, service.topology, template


def test_every_http_route_exists_on_the_http_api_with_its_authorizer(synthesized):
    for _, topology, template in _service_templates(synthesized):
        routes = gates.by_name(template, "AWS::ApiGatewayV2::Route", "RouteKey")
        authorizers = gates.resources(template, "AWS::ApiGatewayV2::Authorizer")
        assert len(routes) == len(topology.http_routes), topology.service
        for route in topology.ingest_routes:
            assert f"{route.method} {route.path}" not in routes, "ingest route on the HTTP API"
        for route in topology.http_routes:
            key = f"{route.method} {route.path}"
            assert key in routes, f"{topology.service}: {key} missing"
            _, resource = routes[key]
            p = gates.props(resource)
            assert p.get("AuthorizationType", "NONE") == AUTHORIZATION_TYPE[route.auth], key
            if route.auth is AuthKind.USER:
                (authorizer,) = (
                    gates.props(a)
                    for logical_id, a in authorizers.items()
                    if gates.refers_to(p["AuthorizerId"], logical_id)
                )
                assert authorizer["AuthorizerType"] == "JWT", key
        assert all(gates.props(a)["AuthorizerType"] == "JWT" for a in authorizers.values()), (
            f"{topology.service}: the HTTP API has no publisher (Lambda) authorizer any more"
        )


def _rest_path(template, resource_ref) -> str:
    """`/v1/uploads/{upload_id}` of an AWS::ApiGateway::Resource reference (root: "")."""
    rest_resources = gates.resources(template, "AWS::ApiGateway::Resource")
    parts: list[str] = []
    while "Ref" in resource_ref:
        resource = gates.props(rest_resources[resource_ref["Ref"]])
        parts.insert(0, resource["PathPart"])
        resource_ref = resource["ParentId"]
    assert resource_ref["Fn::GetAtt"][1] == "RootResourceId"
    return "/" + "/".join(parts)


def _ingest_api(template):
    (api_id, api), *others = gates.resources(template, "AWS::ApiGateway::RestApi").items()
    assert others == []
    (stage,) = gates.resources(template, "AWS::ApiGateway::Stage").values()
    return api_id, api, stage


def test_every_ingest_route_is_a_rest_method_behind_the_key_authorizer(synthesized):
    for stage_name, topology, template in _service_templates(synthesized):
        methods = gates.resources(template, "AWS::ApiGateway::Method")
        if not topology.ingest_routes:
            assert methods == {}, topology.service
            assert gates.resources(template, "AWS::ApiGateway::RestApi") == {}
            continue
        api_id, api, _stage = _ingest_api(template)
        assert gates.props(api)["Name"] == topology.resource_name(stage_name, "ingest-api")
        assert gates.props(api)["EndpointConfiguration"]["Types"] == ["REGIONAL"]
        functions = gates.by_name(template, "AWS::Lambda::Function", "FunctionName")
        (authorizer_id, authorizer), *others = gates.resources(
            template, "AWS::ApiGateway::Authorizer"
        ).items()
        assert others == []
        a = gates.props(authorizer)
        assert a["Type"] == "REQUEST"
        assert a["IdentitySource"] == "method.request.header.x-api-key"
        assert a["AuthorizerResultTtlInSeconds"] == 0  # revocation takes effect at once
        assert gates.refers_to(a["RestApiId"], api_id)
        authorizer_function = topology.resource_name(stage_name, topology.publisher_authorizer)
        assert gates.refers_to(a["AuthorizerUri"], functions[authorizer_function][0])
        by_route = {
            (gates.props(m)["HttpMethod"], _rest_path(template, gates.props(m)["ResourceId"])): m
            for m in methods.values()
        }
        assert set(by_route) == {(r.method, r.path) for r in topology.ingest_routes}
        for route in topology.ingest_routes:
            p = gates.props(by_route[(route.method, route.path)])
            assert p["AuthorizationType"] == "CUSTOM", route
            assert gates.refers_to(p["AuthorizerId"], authorizer_id), route
            assert p["Integration"]["Type"] == "AWS_PROXY", route
            function_id, _ = functions[topology.resource_name(stage_name, route.function)]
            assert gates.refers_to(p["Integration"]["Uri"], function_id), route
            # The usage plan needs every method to require a key (the authorizer's).
            assert p["ApiKeyRequired"] is True, route


def test_each_publisher_is_throttled_by_the_declared_usage_plan(synthesized):
    for stage_name, topology, template in _service_templates(synthesized):
        plan = topology.publisher_usage_plan
        if not topology.ingest_routes:
            assert gates.resources(template, "AWS::ApiGateway::UsagePlan") == {}
            continue
        assert plan is not None, topology.service
        api_id, api, stage = _ingest_api(template)
        assert gates.props(api)["ApiKeySourceType"] == "AUTHORIZER"
        (plan_id, usage_plan), *others = gates.resources(
            template, "AWS::ApiGateway::UsagePlan"
        ).items()
        assert others == []
        p = gates.props(usage_plan)
        assert p["Throttle"] == {"RateLimit": plan.rate_limit, "BurstLimit": plan.burst_limit}
        (api_stage,) = p["ApiStages"]
        assert gates.refers_to(api_stage["ApiId"], api_id)
        (stage_id,) = gates.resources(template, "AWS::ApiGateway::Stage")
        assert gates.refers_to(api_stage["Stage"], stage_id)
        # No per-method stage throttle any more: it would throttle all publishers together.
        assert [s["ResourcePath"] for s in gates.props(stage)["MethodSettings"]] == ["/*"]
        functions = gates.by_name(template, "AWS::Lambda::Function", "FunctionName")
        policies = gates.resources(template, "AWS::IAM::Policy")
        for function in topology.functions:
            _function_id, resource = functions[topology.resource_name(stage_name, function.name)]
            env = gates.props(resource)["Environment"]["Variables"]
            role_ref = gates.props(resource)["Role"]["Fn::GetAtt"][0]
            statements = [
                statement
                for policy in policies.values()
                if any(gates.refers_to(r, role_ref) for r in gates.props(policy)["Roles"])
                for statement in gates.props(policy)["PolicyDocument"]["Statement"]
                if "apigateway" in json.dumps(statement.get("Action"))
            ]
            if function.name not in plan.key_managers:
                assert USAGE_PLAN_ENV not in env, function.name
                assert statements == [], function.name
                continue
            assert gates.refers_to(env[USAGE_PLAN_ENV], plan_id), function.name
            by_action = {json.dumps(s["Action"]): s["Resource"] for s in statements}
            assert set(by_action) == {'"apigateway:POST"', '"apigateway:DELETE"'}
            post = json.dumps(by_action['"apigateway:POST"'])
            assert post.count("::/apikeys") == 1
            assert "/usageplans/" in post
            assert plan_id in post  # the plan's keys only, never every plan's
            assert "*" not in post
            delete = json.dumps(by_action['"apigateway:DELETE"'])
            assert "::/apikeys/*" in delete
            assert plan_id in delete


def test_ingest_api_answers_refused_keys_with_401_from_the_shared_table(synthesized):
    for _, topology, template in _service_templates(synthesized):
        if not topology.ingest_routes:
            continue
        responses = gates.by_name(template, "AWS::ApiGateway::GatewayResponse", "ResponseType")
        assert set(responses) == set(INGEST_GATEWAY_RESPONSES)
        for response_type, expected in INGEST_GATEWAY_RESPONSES.items():
            p = gates.props(responses[response_type][1])
            assert p["StatusCode"] == str(expected.status), response_type
            assert p["ResponseTemplates"]["application/json"] == expected.template()
            assert json.loads(expected.template())["request_id"] == "$context.requestId"
            assert p.get("ResponseParameters", {}) == {
                f"gatewayresponse.header.{name}": f"'{value}'"
                for name, value in expected.headers.items()
            }
        for refused in ("ACCESS_DENIED", "UNAUTHORIZED"):
            assert gates.props(responses[refused][1])["StatusCode"] == "401"


def test_ingest_stage_logs_traces_and_sits_behind_a_regional_waf(synthesized):
    for _, topology, template in _service_templates(synthesized):
        if not topology.ingest_routes:
            continue
        _, _, stage = _ingest_api(template)
        (stage_id,) = gates.resources(template, "AWS::ApiGateway::Stage")
        p = gates.props(stage)
        assert p["TracingEnabled"] is True
        access_log_format = json.loads(p["AccessLogSetting"]["Format"])
        assert "$context.requestId" in access_log_format.values()
        assert not any("header" in value for value in access_log_format.values())
        log_groups = gates.resources(template, "AWS::Logs::LogGroup")
        (access_logs,) = (
            group
            for logical_id, group in log_groups.items()
            if gates.refers_to(p["AccessLogSetting"]["DestinationArn"], logical_id)
        )
        assert "KmsKeyId" in gates.props(access_logs)
        (everything,) = (s for s in p["MethodSettings"] if s["ResourcePath"] == "/*")
        assert everything["LoggingLevel"] == "ERROR"
        assert everything["DataTraceEnabled"] is False
        assert everything["ThrottlingRateLimit"] > 0
        assert everything["ThrottlingBurstLimit"] > 0
        assert not any(s.get("DataTraceEnabled") for s in p["MethodSettings"])
        (acl_id, acl), *others = gates.resources(template, "AWS::WAFv2::WebACL").items()
        assert others == []
        assert gates.props(acl)["Scope"] == "REGIONAL"
        assert gates.web_acl_rules_missing(acl) == []
        (association,) = gates.resources(template, "AWS::WAFv2::WebACLAssociation").values()
        assert gates.refers_to(gates.props(association)["WebACLArn"], acl_id)
        assert gates.refers_to(gates.props(association)["ResourceArn"], stage_id)
        assert "IngestApiUrl" in template["Outputs"]


def test_ingest_api_has_5xx_and_p99_alarms_to_on_call(synthesized):
    for stage in synthesized.stages:
        observability = synthesized.template(stage.observability)
        alarms = gates.resources(observability, "AWS::CloudWatch::Alarm").values()
        for service in stage.services:
            if not service.topology.ingest_routes:
                continue
            dimensions = [
                {
                    "Name": "ApiName",
                    "Value": service.topology.resource_name(stage.stage_config.name, "ingest-api"),
                },
                {"Name": "Stage", "Value": stage.stage_config.name},
            ]
            for metric in ("5XXError", "Latency"):
                (alarm,) = (
                    gates.props(a)
                    for a in alarms
                    if gates.props(a).get("MetricName") == metric
                    and gates.props(a).get("Dimensions") == dimensions
                )
                assert alarm["AlarmActions"], metric
            platform = synthesized.template(stage.platform)
            assert gates.resources(platform, "AWS::ApiGateway::Account"), "no logging role"


def test_every_declared_function_exists_with_its_handler_and_limits(synthesized):
    for stage, topology, template in _service_templates(synthesized):
        functions = gates.by_name(template, "AWS::Lambda::Function", "FunctionName")
        for declared in topology.functions:
            name = topology.resource_name(stage, declared.name)
            assert name in functions, name
            p = gates.props(functions[name][1])
            assert p["Handler"] == declared.handler
            assert p["Timeout"] == declared.timeout_seconds
            assert p["MemorySize"] == declared.memory_mb
            assert p.get("ReservedConcurrentExecutions") == declared.reserved_concurrency
            env = p["Environment"]["Variables"]
            assert env["SCTS_SERVICE_NAME"] == topology.service
            for table in topology.tables:
                assert env[table.env_var] == topology.resource_name(stage, table.name)
            for bucket in topology.buckets:
                assert bucket.env_var in env
            if topology.has_user_routes:
                assert {"SCTS_JWT_ISSUER", "SCTS_JWT_AUDIENCE", "SCTS_JWKS_URL"} <= set(env)


def test_every_declared_table_exists_with_keys_indexes_and_stream(synthesized):
    for stage, topology, template in _service_templates(synthesized):
        tables = gates.by_name(template, "AWS::DynamoDB::GlobalTable", "TableName")
        assert len(tables) == len(topology.tables), topology.service
        for table in topology.tables:
            name = topology.resource_name(stage, table.name)
            assert name in tables, name
            table_id, resource = tables[name]
            p = gates.props(resource)
            keys = {k["KeyType"]: k["AttributeName"] for k in p["KeySchema"]}
            assert keys.get("HASH") == table.partition_key
            assert keys.get("RANGE") == table.sort_key
            indexes = {i["IndexName"] for i in p.get("GlobalSecondaryIndexes", [])}
            assert indexes == {i.name for i in table.indexes}
            if table.ttl_attribute:
                assert p["TimeToLiveSpecification"]["AttributeName"] == table.ttl_attribute
            if table.stream:
                assert p["StreamSpecification"]["StreamViewType"] == "NEW_IMAGE"
            if table.outbox:
                relays = [
                    m
                    for m in gates.resources(template, "AWS::Lambda::EventSourceMapping").values()
                    if f'"{table_id}", "StreamArn"' in json.dumps(gates.props(m))
                ]
                assert len(relays) == 1, f"{name}: no outbox relay on the stream"


def test_every_declared_subscription_has_rule_queue_dlq_and_mapping(synthesized):
    for stage, topology, template in _service_templates(synthesized):
        queues = gates.by_name(template, "AWS::SQS::Queue", "QueueName")
        rules = gates.resources(template, "AWS::Events::Rule")
        mappings = gates.resources(template, "AWS::Lambda::EventSourceMapping").values()
        functions = gates.by_name(template, "AWS::Lambda::Function", "FunctionName")
        for subscription in topology.subscriptions:
            queue_id, queue = queues[topology.queue_name(stage, subscription)]
            dlq_id, _ = queues[topology.dlq_name(stage, subscription)]
            p = gates.props(queue)
            assert p["VisibilityTimeout"] == topology.visibility_timeout(subscription)
            assert p["RedrivePolicy"]["maxReceiveCount"] == subscription.max_receives
            assert gates.refers_to(p["RedrivePolicy"]["deadLetterTargetArn"], dlq_id)
            matching = [
                r
                for r in rules.values()
                if any(gates.refers_to(t["Arn"], queue_id) for t in gates.props(r)["Targets"])
            ]
            assert len(matching) == 1, subscription.name
            assert gates.props(matching[0])["EventPattern"] == rule_pattern(subscription)
            function_id, _ = functions[topology.resource_name(stage, subscription.function)]
            (mapping,) = (
                gates.props(m)
                for m in mappings
                if gates.refers_to(gates.props(m)["EventSourceArn"], queue_id)
            )
            assert gates.refers_to(mapping["FunctionName"], function_id)
            assert mapping["BatchSize"] == subscription.batch_size
