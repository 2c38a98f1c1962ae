"""What feeds the service's queues: bus subscriptions (rule -> queue), bucket
notifications (S3 -> queue) and work queues (the service's own functions -> queue)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs

from common.topology import Bucket, BucketNotification, Subscription, WorkQueue
from infra.cdk.service.base import (
    QUEUE_SENDER_KEY_ACTIONS,
    RULE_MAX_EVENT_AGE,
    RULE_RETRY_ATTEMPTS,
    SubscriptionResources,
    allow_aws_service,
)
from infra.cdk.service.data import physical_bucket_name
from infra.cdk.service.encryption import allow_eventbridge
from infra.cdk.service.functions import grant_send
from infra.cdk.service.queues import consume, consumer_queue
from infra.shape.resources import bucket_notification_configuration, rule_name, rule_pattern

if TYPE_CHECKING:
    from infra.cdk.service.stack import ServiceStack


def subscription(stack: ServiceStack, declared: Subscription) -> SubscriptionResources:
    """A rule on the platform bus -> the subscription's queue (+DLQ) -> its function; what
    the rule cannot deliver goes to the stack's rule-targets DLQ."""
    stage = stack.stage_config.name
    queue, dead_letters = consumer_queue(stack, declared)
    allow_eventbridge(stack, queue)
    pattern = rule_pattern(declared)
    rule = events.Rule(
        stack,
        f"Rule-{declared.name}",
        rule_name=rule_name(stack.topology, stage, declared),
        event_bus=stack.platform.event_bus,
        event_pattern=events.EventPattern(
            source=pattern["source"], detail_type=pattern["detail-type"]
        ),
        targets=[
            targets.SqsQueue(
                queue,
                dead_letter_queue=stack.rule_dead_letter_queue,
                retry_attempts=RULE_RETRY_ATTEMPTS,
                max_event_age=RULE_MAX_EVENT_AGE,
            )
        ],
    )
    consume(stack, queue, declared.function, declared.batch_size)
    return SubscriptionResources(declared, queue, dead_letters, rule)


def bucket_notification(stack: ServiceStack, notification: BucketNotification) -> sqs.Queue:
    """Objects created under the prefix -> queue (+DLQ) -> function (partial failures).

    The queue policy names the bucket by its ARN string, not a reference, so the bucket
    can depend on it: S3 checks it may send when configured.
    """
    queue, _ = consumer_queue(stack, notification)
    bucket_arn = f"arn:{stack.partition}:s3:::{physical_bucket_name(stack, notification.bucket)}"
    queue.add_to_resource_policy(
        iam.PolicyStatement(
            sid="AllowBucketNotification",
            principals=[iam.ServicePrincipal("s3.amazonaws.com")],
            actions=["sqs:SendMessage"],
            resources=[queue.queue_arn],
            conditions={
                "ArnEquals": {"aws:SourceArn": bucket_arn},
                "StringEquals": {"aws:SourceAccount": stack.account},
            },
        )
    )
    allow_aws_service(
        stack.key,
        sid=f"AllowS3Notification{queue.node.id}",
        service="s3.amazonaws.com",
        actions=QUEUE_SENDER_KEY_ACTIONS,
    )
    consume(stack, queue, notification.function, notification.batch_size)
    return queue


def notification_configuration(
    stack: ServiceStack, bucket: Bucket, queues: dict[str, sqs.Queue]
) -> None:
    """The bucket's whole NotificationConfiguration, from the function the local runtime
    uses, on the bucket itself (not CDK's custom resource, which adds an unmanaged
    Lambda); the bucket depends on each queue (and its policy)."""
    declared = bucket_notification_configuration(
        stack.topology, bucket, {name: queue.queue_arn for name, queue in queues.items()}
    )
    if not declared["QueueConfigurations"]:
        return
    cfn_bucket = stack.buckets[bucket.name].node.default_child
    assert isinstance(cfn_bucket, s3.CfnBucket)
    cfn_bucket.notification_configuration = s3.CfnBucket.NotificationConfigurationProperty(
        queue_configurations=[
            s3.CfnBucket.QueueConfigurationProperty(
                event=event,
                queue=configuration["QueueArn"],
                filter=s3.CfnBucket.NotificationFilterProperty(
                    s3_key=s3.CfnBucket.S3KeyFilterProperty(
                        rules=[
                            s3.CfnBucket.FilterRuleProperty(name=rule["Name"], value=rule["Value"])
                            for rule in configuration["Filter"]["Key"]["FilterRules"]
                        ]
                    )
                ),
            )
            for configuration in declared["QueueConfigurations"]
            for event in configuration["Events"]
        ]
    )
    for notification in stack.topology.bucket_notifications:
        if notification.bucket == bucket.name:
            cfn_bucket.node.add_dependency(queues[notification.name])


def work_queue(stack: ServiceStack, declared: WorkQueue) -> None:
    """A pipeline stage: queue (+DLQ) -> its function; the functions whose access names it
    may send to it."""
    queue, _ = consumer_queue(stack, declared)
    grant_send(stack, queue, declared.name)
    consume(stack, queue, declared.function, declared.batch_size)
