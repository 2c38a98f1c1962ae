"""The outbox relay in the synthesized templates is the mapping the local stream poller
follows (`common.outbox_relay.RELAY_MAPPING`), may write the published mark on outbox rows
only, and is watched: iterator age, outbox age and parked events page on-call."""

from __future__ import annotations

import json
from typing import Any

import pytest

from common.outbox_relay import (
    RELAY_ITERATOR_AGE_ALARM_SECONDS,
    RELAY_MAPPING,
)
from infra.cdk.relay import relay_logical

from . import gates

pytestmark = [pytest.mark.infra, pytest.mark.xdist_group("infra")]

DYNAMODB_WRITES = {
    f"dynamodb:{action}"
    for action in (
        "*",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "BatchWriteItem",
        "TransactWriteItems",
        "PartiQLInsert",
        "PartiQLUpdate",
        "PartiQLDelete",
    )
}


def _relays(synthesized):
    for stage in synthesized.stages:
        for service, template in synthesized.service_templates(stage).items():
            for table in service.topology.tables:
                if table.outbox:
                    yield stage, service, table, template


def test_relay_mappings_follow_the_shared_mapping(synthesized):
    found = 0
    for stage, service, table, template in _relays(synthesized):
        name = service.topology.resource_name(stage.stage_config.name, relay_logical(table))
        functions = gates.by_name(template, "AWS::Lambda::Function", "FunctionName")
        function_id, _ = functions[name]
        (mapping,) = (
            gates.props(m)
            for m in gates.resources(template, "AWS::Lambda::EventSourceMapping").values()
            if gates.refers_to(gates.props(m)["FunctionName"], function_id)
        )
        assert mapping["BatchSize"] == RELAY_MAPPING.batch_size
        assert mapping["BisectBatchOnFunctionError"] is RELAY_MAPPING.bisect_on_error
        assert mapping.get("MaximumRetryAttempts", -1) == -1  # until on the bus or too old
        assert mapping["MaximumRecordAgeInSeconds"] == RELAY_MAPPING.max_record_age_seconds
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        patterns = [json.loads(f["Pattern"]) for f in mapping["FilterCriteria"]["Filters"]]
        assert patterns == list(RELAY_MAPPING.filters)
        found += 1
    assert found >= 2  # identity and provisioning, per stage


def test_the_relay_may_write_only_outbox_rows(synthesized):
    for stage, service, table, template in _relays(synthesized):
        name = service.topology.resource_name(stage.stage_config.name, relay_logical(table))
        functions = gates.by_name(template, "AWS::Lambda::Function", "FunctionName")
        _, function = functions[name]
        role = gates.props(function)["Role"]["Fn::GetAtt"][0]
        writes = [
            statement
            for policy in gates.resources(template, "AWS::IAM::Policy").values()
            if any(gates.refers_to(r, role) for r in gates.props(policy)["Roles"])
            for statement in gates.props(policy)["PolicyDocument"]["Statement"]
            if set(_actions(statement)) & DYNAMODB_WRITES
        ]
        assert len(writes) == 1, writes
        assert _actions(writes[0]) == ["dynamodb:BatchWriteItem"]
        assert writes[0]["Condition"] == {
            "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["OUTBOX#*"]}
        }


def _actions(statement):
    actions = statement["Action"]
    return actions if isinstance(actions, list) else [actions]


def test_every_relay_has_iterator_age_outbox_age_and_parked_alarms(synthesized):
    for stage in synthesized.stages:
        alarms = synthesized.template(stage.observability)
        by_metric: dict[str, list[dict[str, Any]]] = {}
        for alarm in gates.resources(alarms, "AWS::CloudWatch::Alarm").values():
            p = gates.props(alarm)
            by_metric.setdefault(p.get("MetricName", ""), []).append(p)
        for service in stage.services:
            for table in service.topology.tables:
                if not table.outbox:
                    continue
                function = service.topology.resource_name(
                    stage.stage_config.name, relay_logical(table)
                )
                ages = [
                    a
                    for a in by_metric["IteratorAge"]
                    if {"Name": "FunctionName", "Value": function} in a["Dimensions"]
                ]
                assert [a["Threshold"] for a in ages] == [RELAY_ITERATOR_AGE_ALARM_SECONDS * 1000]
                table_name = service.topology.resource_name(stage.stage_config.name, table.name)
                for metric in ("OutboxPublishDelay", "OutboxEventsParked"):
                    assert any(
                        {"Name": "table", "Value": table_name} in a["Dimensions"]
                        for a in by_metric[metric]
                    ), (metric, table_name)
