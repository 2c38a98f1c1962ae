"""The service's own KMS key: its data, queues and logs, and the AWS services that may
encrypt into its queues."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_kms as kms
from aws_cdk import aws_sqs as sqs

from infra.cdk.service.base import QUEUE_SENDER_KEY_ACTIONS, allow_aws_service, allow_log_groups

if TYPE_CHECKING:
    from infra.cdk.service.stack import ServiceStack


def service_key(stack: ServiceStack) -> kms.Key:
    """The key (rotated), which the service's log groups may use."""
    key = kms.Key(
        stack,
        "Key",
        alias=f"alias/{stack.topology.resource_name(stack.stage_config.name, 'key')}",
        description=f"Encrypts the {stack.topology.service} service's data, queues and logs.",
        enable_key_rotation=True,
        removal_policy=stack.removal_policy,
    )
    allow_log_groups(key, stack, sid="AllowServiceLogGroups")
    return key


def allow_eventbridge(stack: ServiceStack, queue: sqs.Queue) -> None:
    """EventBridge must encrypt into the KMS-protected queue (rule target or DLQ)."""
    allow_aws_service(
        stack.key,
        sid=f"AllowEventBridge{queue.node.id}",
        service="events.amazonaws.com",
        actions=QUEUE_SENDER_KEY_ACTIONS,
    )
