"""The outbox relay in the cloud: its stream trigger, its one write right, its alarms.

Everything comes from `common.outbox_relay.RELAY_MAPPING`, the value the local stream
poller follows too: retries until the record is on the bus or older than the maximum age
(well inside the stream's 24 h), bisect on function error, partial batch responses, only
outbox inserts delivered (filter), and an on-failure SQS destination (which receives batch
metadata only; the facts stay unpublished in the outbox, see docs/reliability.md).
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sqs as sqs

from common.outbox import OUTBOX_PK_PREFIX
from common.outbox_relay import (
    RELAY_ITERATOR_AGE_ALARM_SECONDS,
    RELAY_MAPPING,
    RELAY_PUBLISH_DELAY_ALARM_SECONDS,
)
from common.topology import Table

RELAY_HANDLER = "common.relay_handler.handler"
RELAY_SERVICE_NAME = "outbox-relay"
"""The relay's Powertools service name: the `service` dimension of its metrics."""
ALARM_PERIOD = cdk.Duration.minutes(5)


def relay_logical(table: Table) -> str:
    """The relay function's logical name for an outbox table (`<table>-relay`)."""
    return f"{table.name}-relay"


def relay_event_source(
    table: dynamodb.ITableV2, on_failure: sqs.IQueue
) -> sources.DynamoEventSource:
    mapping = RELAY_MAPPING
    return sources.DynamoEventSource(
        table,
        starting_position=lambda_.StartingPosition.TRIM_HORIZON,
        batch_size=mapping.batch_size,
        bisect_batch_on_error=mapping.bisect_on_error,
        retry_attempts=mapping.max_retry_attempts,  # None: until the record is too old
        max_record_age=cdk.Duration.seconds(mapping.max_record_age_seconds),
        report_batch_item_failures=True,
        on_failure=sources.SqsDlq(on_failure),
        filters=[lambda_.FilterCriteria.filter(pattern) for pattern in mapping.filters],
    )


def grant_marking(role: iam.IRole, table: dynamodb.ITableV2) -> None:
    """The relay writes back one thing: the published mark on outbox rows (BatchWriteItem
    of the row's own image), and only on items whose key starts with OUTBOX#."""
    role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=["dynamodb:BatchWriteItem"],
            resources=[table.table_arn],
            conditions={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": [f"{OUTBOX_PK_PREFIX}*"]}
            },
        )
    )


def relay_alarm_metrics(
    function_name: str, table_name: str
) -> list[tuple[str, cw.IMetric, float, str]]:
    """(id suffix, metric, threshold, description) of each relay alarm."""
    return [
        (
            "iterator-age",
            cw.Metric(
                namespace="AWS/Lambda",
                metric_name="IteratorAge",
                dimensions_map={"FunctionName": function_name},
                statistic="Maximum",
                period=ALARM_PERIOD,
            ),
            RELAY_ITERATOR_AGE_ALARM_SECONDS * 1000,
            f"{function_name} is behind its stream: events are not reaching the bus.",
        ),
        (
            "outbox-age",
            _relay_metric("OutboxPublishDelay", table_name, "Maximum"),
            RELAY_PUBLISH_DELAY_ALARM_SECONDS,
            f"{function_name} published outbox rows older than "
            f"{RELAY_PUBLISH_DELAY_ALARM_SECONDS} s.",
        ),
        (
            "parked",
            _relay_metric("OutboxEventsParked", table_name, "Sum"),
            0,
            f"{function_name} parked events EventBridge refused: fix, then "
            "python -m infra.ops.republish --unpublished.",
        ),
    ]


def _relay_metric(name: str, table_name: str, statistic: str) -> cw.Metric:
    """A relay metric (Powertools EMF: service `outbox-relay`, plus the outbox table)."""
    return cw.Metric(
        namespace="SCTS",
        metric_name=name,
        dimensions_map={"service": RELAY_SERVICE_NAME, "table": table_name},
        statistic=statistic,
        period=ALARM_PERIOD,
    )
