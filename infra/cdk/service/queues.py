"""Queues a function consumes: each declaration's KMS queue and its DLQ, and the event
source mapping that reads it (partial batch failures)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sqs as sqs

from common.topology import QueueFed
from infra.cdk.nag import acknowledge
from infra.cdk.service.base import DLQ_RETENTION

if TYPE_CHECKING:
    from infra.cdk.service.stack import ServiceStack


def dead_letter_queue(stack: ServiceStack, logical: str) -> sqs.Queue:
    name = stack.topology.resource_name(stack.stage_config.name, logical)
    queue = sqs.Queue(
        stack,
        f"Queue-{logical}",
        queue_name=name,
        encryption=sqs.QueueEncryption.KMS,
        encryption_master_key=stack.key,
        enforce_ssl=True,
        retention_period=DLQ_RETENTION,
        removal_policy=stack.removal_policy,
    )
    acknowledge(queue, "AwsSolutions-SQS3", "This queue is itself a dead-letter queue.")
    acknowledge(queue, "Serverless-SQSRedrivePolicy", "This queue is itself a dead-letter queue.")
    stack.resources.dead_letter_queue_names.append(name)
    return queue


def consumer_queue(stack: ServiceStack, consumer: QueueFed) -> tuple[sqs.Queue, sqs.Queue]:
    """A consumer's KMS queue and its DLQ (after the declared receives)."""
    dead_letters = dead_letter_queue(stack, f"{consumer.name}-dlq")
    queue = sqs.Queue(
        stack,
        f"Queue-{consumer.name}",
        queue_name=stack.topology.queue_name(stack.stage_config.name, consumer),
        encryption=sqs.QueueEncryption.KMS,
        encryption_master_key=stack.key,
        enforce_ssl=True,
        visibility_timeout=cdk.Duration.seconds(stack.topology.visibility_timeout(consumer)),
        dead_letter_queue=sqs.DeadLetterQueue(
            queue=dead_letters, max_receive_count=consumer.max_receives
        ),
        removal_policy=stack.removal_policy,
    )
    return queue, dead_letters


def consume(stack: ServiceStack, queue: sqs.Queue, function_name: str, batch_size: int) -> None:
    """The function reads the queue, reporting failed items (they retry, then go to the DLQ).

    A function with reserved concurrency caps the mapping's concurrency at it: the SQS
    pollers would otherwise invoke beyond it, and each throttled batch returns to the queue
    with one more receive, reaching the DLQ after `max_receives` without being processed.
    """
    function = stack.resources.functions[function_name]
    reserved = stack.topology.function(function_name).reserved_concurrency
    before = set(function.node.children)
    function.add_event_source(
        sources.SqsEventSource(
            queue,
            batch_size=batch_size,
            report_batch_item_failures=True,
            max_concurrency=reserved,
        )
    )
    for mapping in set(function.node.children) - before:
        if isinstance(mapping, lambda_.EventSourceMapping):
            acknowledge(
                mapping,
                "Serverless-LambdaEventSourceMappingDestination",
                "SQS mappings take no on-failure destination; the queue's redrive policy "
                "moves a message to its DLQ after the declared receives.",
            )
