"""What SES reports about the service's mail: configuration set -> SNS topic -> queue ->
function, and the right to send with that configuration set."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns

from common.topology import MailEvents
from infra.cdk.service.base import QUEUE_SENDER_KEY_ACTIONS, allow_aws_service
from infra.cdk.service.queues import consume, consumer_queue, dead_letter_queue
from infra.shape.resources import mail_events_topic_name

if TYPE_CHECKING:
    from infra.cdk.service.stack import ServiceStack


def mail_events(stack: ServiceStack, declared: MailEvents) -> None:
    """SES configuration set -> SNS topic (KMS) -> queue (+DLQ, raw) -> function; the
    functions that send mail may send with the configuration set (`functions`)."""
    stage = stack.stage_config.name
    configuration_set_name = stack.topology.mail_configuration_set(stage)
    assert configuration_set_name is not None
    topic = sns.Topic(
        stack,
        f"Topic-{declared.name}",
        topic_name=mail_events_topic_name(stack.topology, stage, declared),
        master_key=stack.key,
        enforce_ssl=True,
    )
    configuration_set = ses.ConfigurationSet(
        stack,
        f"MailConfigurationSet-{declared.name}",
        configuration_set_name=configuration_set_name,
    )
    configuration_set_arn = (
        f"arn:{stack.partition}:ses:{stack.region}:{stack.account}:"
        f"configuration-set/{configuration_set_name}"
    )
    topic.add_to_resource_policy(
        iam.PolicyStatement(
            sid="AllowSesEvents",
            principals=[iam.ServicePrincipal("ses.amazonaws.com")],
            actions=["sns:Publish"],
            resources=[topic.topic_arn],
            conditions={
                "StringEquals": {"AWS:SourceAccount": stack.account},
                "ArnLike": {"AWS:SourceArn": configuration_set_arn},
            },
        )
    )
    for service, sid in (
        ("ses.amazonaws.com", "AllowSesTopic"),
        ("sns.amazonaws.com", "AllowSnsQueues"),
    ):
        allow_aws_service(stack.key, sid=sid, service=service, actions=QUEUE_SENDER_KEY_ACTIONS)
    ses.ConfigurationSetEventDestination(
        stack,
        f"MailEventDestination-{declared.name}",
        configuration_set=configuration_set,
        configuration_set_event_destination_name="sns",
        destination=ses.EventDestination.sns_topic(topic),
        events=[getattr(ses.EmailSendingEvent, kind) for kind in declared.events],
    )
    queue, _ = consumer_queue(stack, declared)
    # What SqsSubscription builds (same logical ids) but its key grant to
    # sns.amazonaws.com, which has no condition at all: the key's AllowSnsQueues
    # (this account only) covers SNS's encryption into the queue.
    sends = queue.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[iam.ServicePrincipal("sns.amazonaws.com")],
            actions=["sqs:SendMessage"],
            resources=[queue.queue_arn],
            conditions={"ArnEquals": {"aws:SourceArn": topic.topic_arn}},
        )
    )
    subscription = sns.Subscription(
        queue,
        cdk.Names.node_unique_id(topic.node),
        topic=topic,
        endpoint=queue.queue_arn,
        protocol=sns.SubscriptionProtocol.SQS,
        raw_message_delivery=True,
        dead_letter_queue=dead_letter_queue(stack, f"{declared.name}-topic-dlq"),
    )
    if sends.policy_dependable is not None:
        subscription.node.add_dependency(sends.policy_dependable)
    consume(stack, queue, declared.function, declared.batch_size)
