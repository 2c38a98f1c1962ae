"""Every declared route, table, function and subscription exists in the synthesized
CloudFormation, with the declared settings (foundation issue item 3)."""

from __future__ import annotations

import json

import pytest

from common.topology import AuthKind
from infra.local.resources import rule_pattern
from tests.infra import gates

pytestmark = [pytest.mark.infra, pytest.mark.xdist_group("infra")]

AUTHORIZATION_TYPE = {AuthKind.USER: "JWT", AuthKind.PUBLISHER: "CUSTOM", AuthKind.PUBLIC: "NONE"}


def _by_name(template, resource_type, name_property):
    return {
        gates.props(resource).get(name_property): (logical_id, resource)
        for logical_id, resource in gates.resources(template, resource_type).items()
    }


def _service_templates(synthesized):
    for stage in synthesized.stages:
        for service, template in synthesized.service_templates(stage).items():
            yield stage.stage_config.name, service.topology, template


def test_every_declared_route_exists_with_its_authorizer(synthesized):
    for _, topology, template in _service_templates(synthesized):
        routes = _by_name(template, "AWS::ApiGatewayV2::Route", "RouteKey")
        authorizers = gates.resources(template, "AWS::ApiGatewayV2::Authorizer")
        assert len(routes) == len(topology.routes), topology.service
        for route in topology.routes:
            key = f"{route.method} {route.path}"
            assert key in routes, f"{topology.service}: {key} missing"
            _, resource = routes[key]
            p = gates.props(resource)
            assert p.get("AuthorizationType", "NONE") == AUTHORIZATION_TYPE[route.auth], key
            if route.auth is not AuthKind.PUBLIC:
                (authorizer,) = (
                    gates.props(a)
                    for logical_id, a in authorizers.items()
                    if gates.refers_to(p["AuthorizerId"], logical_id)
                )
                expected = "JWT" if route.auth is AuthKind.USER else "REQUEST"
                assert authorizer["AuthorizerType"] == expected, key
            if route.auth is AuthKind.PUBLISHER:
                (stage,) = gates.resources(template, "AWS::ApiGatewayV2::Stage").values()
                throttle = gates.props(stage)["RouteSettings"][key]
                assert throttle["ThrottlingRateLimit"] > 0, key


def test_every_declared_function_exists_with_its_handler_and_limits(synthesized):
    for stage, topology, template in _service_templates(synthesized):
        functions = _by_name(template, "AWS::Lambda::Function", "FunctionName")
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
        tables = _by_name(template, "AWS::DynamoDB::GlobalTable", "TableName")
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
        queues = _by_name(template, "AWS::SQS::Queue", "QueueName")
        rules = gates.resources(template, "AWS::Events::Rule")
        mappings = gates.resources(template, "AWS::Lambda::EventSourceMapping").values()
        functions = _by_name(template, "AWS::Lambda::Function", "FunctionName")
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
