"""Every declared bucket notification exists: the bucket's ObjectCreated notification with the
prefix filter -> its queue (+ DLQ) -> the function, reporting batch item failures; S3 may
send to the queue (queue policy + key policy) before the bucket is configured."""

from __future__ import annotations

import json

import pytest

from infra.shape.resources import OBJECT_CREATED_EVENTS
from tests.infra import gates

pytestmark = [pytest.mark.infra, pytest.mark.xdist_group("infra")]


def test_every_bucket_notification_has_prefix_filter_queue_dlq_and_mapping(synthesized):
    checked = 0
    for stage in synthesized.stages:
        for service, template in synthesized.service_templates(stage).items():
            topology, stage_name = service.topology, stage.stage_config.name
            queues = gates.by_name(template, "AWS::SQS::Queue", "QueueName")
            functions = gates.by_name(template, "AWS::Lambda::Function", "FunctionName")
            buckets = gates.resources(template, "AWS::S3::Bucket")
            mappings = gates.resources(template, "AWS::Lambda::EventSourceMapping").values()
            queue_policies = gates.resources(template, "AWS::SQS::QueuePolicy")
            for notification in topology.bucket_notifications:
                queue_id, queue = queues[topology.queue_name(stage_name, notification)]
                dlq_id, _ = queues[topology.dlq_name(stage_name, notification)]
                p = gates.props(queue)
                assert p["RedrivePolicy"]["maxReceiveCount"] == notification.max_receives
                assert gates.refers_to(p["RedrivePolicy"]["deadLetterTargetArn"], dlq_id)
                assert p["VisibilityTimeout"] == topology.visibility_timeout(notification)

                (bucket_id,) = [
                    logical_id
                    for logical_id in buckets
                    if logical_id.startswith(f"Bucket{notification.bucket}")
                ]
                bucket = buckets[bucket_id]
                configurations = [
                    c
                    for c in gates.props(bucket)["NotificationConfiguration"]["QueueConfigurations"]
                    if gates.refers_to(c["Queue"], queue_id)
                ]
                assert [c["Event"] for c in configurations] == list(OBJECT_CREATED_EVENTS)
                assert configurations[0]["Filter"]["S3Key"]["Rules"] == [
                    {"Name": "prefix", "Value": notification.prefix}
                ]
                (policy_id,) = [
                    logical_id
                    for logical_id, policy in queue_policies.items()
                    if any(gates.refers_to(q, queue_id) for q in gates.props(policy)["Queues"])
                ]
                assert policy_id in bucket.get("DependsOn", []), "S3 validates the destination"
                statements = gates.props(queue_policies[policy_id])["PolicyDocument"]["Statement"]
                (allow,) = [s for s in statements if s["Effect"] == "Allow"]
                assert allow["Principal"] == {"Service": "s3.amazonaws.com"}
                assert allow["Action"] == "sqs:SendMessage"
                assert notification.bucket in json.dumps(allow["Condition"]["ArnEquals"])

                function_id, _ = functions[
                    topology.resource_name(stage_name, notification.function)
                ]
                (mapping,) = [
                    gates.props(m)
                    for m in mappings
                    if gates.refers_to(gates.props(m)["EventSourceArn"], queue_id)
                ]
                assert gates.refers_to(mapping["FunctionName"], function_id)
                assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
                assert mapping["BatchSize"] == notification.batch_size
                checked += 1
    assert checked, "no bucket notification was declared: the check checked nothing"
