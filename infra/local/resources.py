"""From topologies to AWS resources and function environments.

The pure functions here (`*_request`, `*_pattern`, `function_environment`) say WHAT each
declaration becomes; `provision` creates it on the local AWS with boto3. The CDK app mirrors
the pure part (same names, keys, patterns, redrive and env), so local and cloud agree.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from secrets import token_urlsafe
from typing import Any

from common.topology import (
    JWT_ENV,
    PLATFORM_ENV,
    Bucket,
    PlatformRef,
    ServiceTopology,
    Subscription,
    Table,
)

EVENT_BUS_LOGICAL = "bus"
RELAY_DLQ_LOGICAL = "outbox-relay-dlq"


def event_bus_name(stage: str) -> str:
    return f"scts-{stage}-{EVENT_BUS_LOGICAL}"


def relay_dlq_name(stage: str) -> str:
    return f"scts-{stage}-{RELAY_DLQ_LOGICAL}"


def table_name(topology: ServiceTopology, stage: str, table: Table) -> str:
    return topology.resource_name(stage, table.name)


def bucket_name(topology: ServiceTopology, stage: str, bucket: Bucket) -> str:
    return topology.resource_name(stage, bucket.name)


def rule_name(topology: ServiceTopology, stage: str, subscription: Subscription) -> str:
    return topology.resource_name(stage, f"{subscription.name}-rule")


def create_table_request(topology: ServiceTopology, stage: str, table: Table) -> dict[str, Any]:
    """CreateTable parameters for a service's table under its physical name."""
    return table_request(table_name(topology, stage, table), table)


def table_request(name: str, table: Table) -> dict[str, Any]:
    """CreateTable parameters: string keys, on-demand billing, GSIs projecting all,
    a NEW_IMAGE stream when declared (the outbox relay reads new images only)."""
    attributes = {table.partition_key}
    schema = [{"AttributeName": table.partition_key, "KeyType": "HASH"}]
    if table.sort_key:
        attributes.add(table.sort_key)
        schema.append({"AttributeName": table.sort_key, "KeyType": "RANGE"})
    indexes = []
    for index in table.indexes:
        index_schema = [{"AttributeName": index.partition_key, "KeyType": "HASH"}]
        attributes.add(index.partition_key)
        if index.sort_key:
            attributes.add(index.sort_key)
            index_schema.append({"AttributeName": index.sort_key, "KeyType": "RANGE"})
        indexes.append(
            {
                "IndexName": index.name,
                "KeySchema": index_schema,
                "Projection": {"ProjectionType": "ALL"},
            }
        )
    request: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"} for name in sorted(attributes)
        ],
        "KeySchema": schema,
        "BillingMode": "PAY_PER_REQUEST",
    }
    if indexes:
        request["GlobalSecondaryIndexes"] = indexes
    if table.stream:
        request["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    return request


def rule_pattern(subscription: Subscription) -> dict[str, list[str]]:
    """EventBridge pattern: source in sources AND detail-type in detail_types."""
    return {
        "source": list(subscription.sources),
        "detail-type": list(subscription.detail_types),
    }


def queue_attributes(
    topology: ServiceTopology, subscription: Subscription, dlq_arn: str
) -> dict[str, str]:
    return {
        "VisibilityTimeout": str(topology.visibility_timeout(subscription)),
        "RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": subscription.max_receives}
        ),
    }


@dataclass(frozen=True)
class PlatformValues:
    """The shared platform resources, as the functions are told about them."""

    event_bus_name: str
    user_pool_id: str
    mail_sender: str
    jwt_issuer: str
    jwt_audience: str
    jwks_url: str

    def for_ref(self, ref: PlatformRef) -> dict[str, str]:
        values = {
            PlatformRef.EVENT_BUS: (self.event_bus_name,),
            PlatformRef.USER_POOL: (self.user_pool_id,),
            PlatformRef.MAIL_SENDER: (self.mail_sender,),
        }[ref]
        return dict(zip(PLATFORM_ENV[ref], values, strict=True))

    def jwt_env(self) -> dict[str, str]:
        return dict(zip(JWT_ENV, (self.jwt_issuer, self.jwt_audience, self.jwks_url), strict=True))


def function_environment(
    topology: ServiceTopology,
    stage: str,
    platform: PlatformValues,
    *,
    version: str,
    git_commit: str,
) -> dict[str, str]:
    """The SCTS_ variables every function of the service gets (same in the cloud)."""
    env = {
        "SCTS_SERVICE_NAME": topology.service,
        "SCTS_STAGE": stage,
        "SCTS_VERSION": version,
        "SCTS_GIT_COMMIT": git_commit,
    }
    for table in topology.tables:
        env[table.env_var] = table_name(topology, stage, table)
    for bucket in topology.buckets:
        env[bucket.env_var] = bucket_name(topology, stage, bucket)
    for secret in topology.secrets:
        env[secret.env_var] = secret.secret_id(stage)
    for ref in sorted(topology.platform):
        env.update(platform.for_ref(ref))
    if topology.has_user_routes:
        env.update(platform.jwt_env())
    return env


@dataclass
class SubscriptionQueues:
    topology: ServiceTopology
    subscription: Subscription
    queue_url: str
    queue_arn: str
    dlq_url: str


@dataclass
class OutboxStream:
    topology: ServiceTopology
    table_name: str
    stream_arn: str


@dataclass
class Provisioned:
    """What `provision` created and the runtime's pollers need."""

    event_bus_name: str
    queues: list[SubscriptionQueues] = field(default_factory=list)
    outbox_streams: list[OutboxStream] = field(default_factory=list)
    relay_dlq_url: str = ""


def _queue_arn(sqs: Any, url: str) -> str:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return str(attributes["Attributes"]["QueueArn"])


def provision_subscription(
    topology: ServiceTopology,
    stage: str,
    subscription: Subscription,
    bus_name: str,
    *,
    sqs: Any,
    events: Any,
) -> SubscriptionQueues:
    """Queue + DLQ + a bus rule targeting the queue (never a Lambda ARN: moto breaks)."""
    dlq_url = sqs.create_queue(QueueName=topology.dlq_name(stage, subscription))["QueueUrl"]
    queue_url = sqs.create_queue(
        QueueName=topology.queue_name(stage, subscription),
        Attributes=queue_attributes(topology, subscription, _queue_arn(sqs, dlq_url)),
    )["QueueUrl"]
    queue_arn = _queue_arn(sqs, queue_url)
    name = rule_name(topology, stage, subscription)
    events.put_rule(
        Name=name,
        EventBusName=bus_name,
        EventPattern=json.dumps(rule_pattern(subscription)),
        State="ENABLED",
    )
    events.put_targets(
        Rule=name, EventBusName=bus_name, Targets=[{"Id": "queue", "Arn": queue_arn}]
    )
    return SubscriptionQueues(topology, subscription, queue_url, queue_arn, dlq_url)


def provision(
    topologies: Iterable[ServiceTopology],
    stage: str,
    clients: Mapping[str, Any],
) -> Provisioned:
    """Create every table, bucket, queue, DLQ and rule the topologies declare.

    `clients` maps "dynamodb", "s3", "sqs", "events", "secretsmanager" to boto3 clients of
    the local AWS. Declared secrets get a fresh random value on every start.
    """
    dynamodb, s3, sqs, events, secretsmanager = (
        clients[k] for k in ("dynamodb", "s3", "sqs", "events", "secretsmanager")
    )
    bus = event_bus_name(stage)
    events.create_event_bus(Name=bus)
    result = Provisioned(event_bus_name=bus)
    result.relay_dlq_url = sqs.create_queue(QueueName=relay_dlq_name(stage))["QueueUrl"]
    for topology in topologies:
        for table in topology.tables:
            request = create_table_request(topology, stage, table)
            description = dynamodb.create_table(**request)["TableDescription"]
            if table.ttl_attribute:
                dynamodb.update_time_to_live(
                    TableName=request["TableName"],
                    TimeToLiveSpecification={
                        "Enabled": True,
                        "AttributeName": table.ttl_attribute,
                    },
                )
            if table.outbox:
                result.outbox_streams.append(
                    OutboxStream(topology, request["TableName"], description["LatestStreamArn"])
                )
        for bucket in topology.buckets:
            s3.create_bucket(
                Bucket=bucket_name(topology, stage, bucket),
                CreateBucketConfiguration={"LocationConstraint": s3.meta.region_name},
            )
        for secret in topology.secrets:
            secretsmanager.create_secret(
                Name=secret.secret_id(stage),
                Description=secret.description,
                SecretString=token_urlsafe(48),
            )
        for subscription in topology.subscriptions:
            result.queues.append(
                provision_subscription(topology, stage, subscription, bus, sqs=sqs, events=events)
            )
    return result
