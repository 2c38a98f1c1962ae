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
    USAGE_PLAN_ENV,
    Bucket,
    BucketNotification,
    PlatformRef,
    QueueFed,
    ServiceTopology,
    Subscription,
    Table,
)

EVENT_BUS_LOGICAL = "bus"
EVENT_ARCHIVE_LOGICAL = "events"
EVENT_ARCHIVE_RETENTION_DAYS = 365
RELAY_DLQ_LOGICAL = "outbox-relay-dlq"


def event_bus_name(stage: str) -> str:
    return f"scts-{stage}-{EVENT_BUS_LOGICAL}"


def event_archive_name(stage: str) -> str:
    """The bus's archive of every event (replay; locally it also counts what the bus took)."""
    return f"scts-{stage}-{EVENT_ARCHIVE_LOGICAL}"


def event_archive_pattern(account_id: str) -> dict[str, list[str]]:
    """Every event put on the bus by the account (the CDK app archives the same)."""
    return {"account": [account_id]}


def relay_dlq_name(stage: str) -> str:
    return f"scts-{stage}-{RELAY_DLQ_LOGICAL}"


def table_name(topology: ServiceTopology, stage: str, table: Table) -> str:
    return topology.resource_name(stage, table.name)


def bucket_name(
    topology: ServiceTopology, stage: str, bucket: Bucket, account_id: str | None = None
) -> str:
    """S3 names are global: in the cloud the account id is appended to stay unique."""
    name = topology.resource_name(stage, bucket.name)
    return f"{name}-{account_id}" if account_id else name


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
    topology: ServiceTopology, subscription: QueueFed, dlq_arn: str
) -> dict[str, str]:
    """A subscription's or bucket notification's queue: visibility and redrive to its DLQ."""
    return {
        "VisibilityTimeout": str(topology.visibility_timeout(subscription)),
        "RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": subscription.max_receives}
        ),
    }


OBJECT_CREATED_EVENTS = ("s3:ObjectCreated:*",)
"""The S3 events a bucket notification sends (CDK: `s3.EventType.OBJECT_CREATED`)."""


def notification_queue_configuration(
    notification: BucketNotification, queue_arn: str
) -> dict[str, Any]:
    """One QueueConfiguration of a bucket's NotificationConfiguration."""
    return {
        "Id": notification.name,
        "QueueArn": queue_arn,
        "Events": list(OBJECT_CREATED_EVENTS),
        "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": notification.prefix}]}},
    }


def bucket_notification_configuration(
    topology: ServiceTopology, bucket: Bucket, queue_arns: Mapping[str, str]
) -> dict[str, Any]:
    """A bucket's whole NotificationConfiguration (S3 replaces it as a whole); `queue_arns`
    maps each notification's name to its queue's ARN."""
    return {
        "QueueConfigurations": [
            notification_queue_configuration(notification, queue_arns[notification.name])
            for notification in topology.bucket_notifications
            if notification.bucket == bucket.name
        ]
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
    portal_url: str = ""
    """The web portal's origin, for links in mail."""

    def for_ref(self, ref: PlatformRef) -> dict[str, str]:
        values = {
            PlatformRef.EVENT_BUS: (self.event_bus_name,),
            PlatformRef.USER_POOL: (self.user_pool_id,),
            PlatformRef.MAIL_SENDER: (self.mail_sender,),
            PlatformRef.PORTAL_URL: (self.portal_url,),
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
    account_id: str | None = None,
) -> dict[str, str]:
    """The SCTS_ variables every function of the service gets (same in the cloud, where
    `account_id` makes bucket names globally unique)."""
    env = {
        "SCTS_SERVICE_NAME": topology.service,
        "SCTS_STAGE": stage,
        "SCTS_VERSION": version,
        "SCTS_GIT_COMMIT": git_commit,
    }
    for table in topology.tables:
        env[table.env_var] = table_name(topology, stage, table)
    for bucket in topology.buckets:
        env[bucket.env_var] = bucket_name(topology, stage, bucket, account_id)
    for secret in topology.secrets:
        env[secret.env_var] = secret.secret_id(stage)
    for ref in sorted(topology.platform):
        env.update(platform.for_ref(ref))
    if topology.has_user_routes:
        env.update(platform.jwt_env())
    return env


def usage_plan_name(topology: ServiceTopology, stage: str) -> str:
    return topology.resource_name(stage, "publishers")


def create_usage_plan_request(topology: ServiceTopology, stage: str) -> dict[str, Any]:
    """CreateUsagePlan parameters of the ingest API's per-publisher throttle (the CDK binds
    the same plan to the ingest API's stage)."""
    plan = topology.publisher_usage_plan
    if plan is None:
        raise ValueError(f"{topology.service} declares no publisher usage plan")
    return {
        "name": usage_plan_name(topology, stage),
        "description": f"{topology.service}: each publisher's throttle on the ingest API.",
        "throttle": {"rateLimit": float(plan.rate_limit), "burstLimit": plan.burst_limit},
    }


def usage_plan_environment(
    topology: ServiceTopology, function: str, usage_plan_id: str
) -> dict[str, str]:
    """What the usage plan adds to one function's environment: its id, for key managers."""
    plan = topology.publisher_usage_plan
    if plan is None or function not in plan.key_managers:
        return {}
    return {USAGE_PLAN_ENV: usage_plan_id}


@dataclass
class SubscriptionQueues:
    """The queue + DLQ of a subscription or of a bucket notification, polled alike."""

    topology: ServiceTopology
    subscription: QueueFed
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
    event_archive_name: str = ""
    queues: list[SubscriptionQueues] = field(default_factory=list)
    outbox_streams: list[OutboxStream] = field(default_factory=list)
    relay_dlq_url: str = ""
    usage_plan_ids: dict[str, str] = field(default_factory=dict)
    """Service -> id of its ingest API's usage plan."""


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
    queues = _provision_queues(topology, stage, subscription, sqs=sqs)
    name = rule_name(topology, stage, subscription)
    events.put_rule(
        Name=name,
        EventBusName=bus_name,
        EventPattern=json.dumps(rule_pattern(subscription)),
        State="ENABLED",
    )
    events.put_targets(
        Rule=name, EventBusName=bus_name, Targets=[{"Id": "queue", "Arn": queues.queue_arn}]
    )
    return queues


def _provision_queues(
    topology: ServiceTopology, stage: str, declared: QueueFed, *, sqs: Any
) -> SubscriptionQueues:
    dlq_url = sqs.create_queue(QueueName=topology.dlq_name(stage, declared))["QueueUrl"]
    queue_url = sqs.create_queue(
        QueueName=topology.queue_name(stage, declared),
        Attributes=queue_attributes(topology, declared, _queue_arn(sqs, dlq_url)),
    )["QueueUrl"]
    return SubscriptionQueues(topology, declared, queue_url, _queue_arn(sqs, queue_url), dlq_url)


def provision_bucket_notifications(
    topology: ServiceTopology, stage: str, *, sqs: Any, s3: Any
) -> list[SubscriptionQueues]:
    """Queue + DLQ per bucket notification, then each bucket's notification configuration
    (queues only: moto cannot target a Lambda ARN). S3 then sends an s3:TestEvent."""
    created = [
        _provision_queues(topology, stage, notification, sqs=sqs)
        for notification in topology.bucket_notifications
    ]
    arns = {queues.subscription.name: queues.queue_arn for queues in created}
    for bucket in topology.buckets:
        configuration = bucket_notification_configuration(topology, bucket, arns)
        if configuration["QueueConfigurations"]:
            s3.put_bucket_notification_configuration(
                Bucket=bucket_name(topology, stage, bucket),
                NotificationConfiguration=configuration,
            )
    return created


def provision(
    topologies: Iterable[ServiceTopology],
    stage: str,
    clients: Mapping[str, Any],
) -> Provisioned:
    """Create every table, bucket, queue, DLQ and rule the topologies declare.

    `clients` maps "dynamodb", "s3", "sqs", "events", "secretsmanager" (and "apigateway"
    when a topology declares a publisher usage plan) to boto3 clients of the local AWS.
    Declared secrets get a fresh random value on every start.
    """
    dynamodb, s3, sqs, events, secretsmanager = (
        clients[k] for k in ("dynamodb", "s3", "sqs", "events", "secretsmanager")
    )
    bus = event_bus_name(stage)
    bus_arn = events.create_event_bus(Name=bus)["EventBusArn"]
    result = Provisioned(event_bus_name=bus, event_archive_name=event_archive_name(stage))
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
        result.queues.extend(provision_bucket_notifications(topology, stage, sqs=sqs, s3=s3))
        if topology.publisher_usage_plan:
            plan = clients["apigateway"].create_usage_plan(
                **create_usage_plan_request(topology, stage)
            )
            result.usage_plan_ids[topology.service] = plan["id"]
    # Last, so its rule runs after the subscriptions' for each event: once the archive has
    # counted an event, its queues have it too (readiness.py relies on that order).
    events.create_archive(
        ArchiveName=result.event_archive_name,
        EventSourceArn=bus_arn,
        EventPattern=json.dumps(event_archive_pattern(bus_arn.split(":")[4])),
        RetentionDays=EVENT_ARCHIVE_RETENTION_DAYS,
    )
    return result


REQUEST_ID_VARIABLE = "$context.requestId"
"""API Gateway's template variable for the request id (the local gateway substitutes it)."""


@dataclass(frozen=True)
class GatewayResponse:
    """What a REST API answers itself (before or instead of the function), in the one error
    shape of every API (docs/api-conventions.md)."""

    status: int
    error: str
    message: str
    headers: Mapping[str, str] = field(default_factory=dict)

    def template(self) -> str:
        """The body template: the error shape, its request id filled in by API Gateway."""
        return json.dumps(
            {
                "error": self.error,
                "message": self.message,
                "fields": [],
                "request_id": REQUEST_ID_VARIABLE,
            }
        )


INGEST_GATEWAY_RESPONSES: Mapping[str, GatewayResponse] = {
    "UNAUTHORIZED": GatewayResponse(401, "unauthorized", "Unauthorized"),
    "ACCESS_DENIED": GatewayResponse(401, "unauthorized", "Unauthorized"),
    "AUTHORIZER_FAILURE": GatewayResponse(500, "internal", "Internal error."),
    "INVALID_API_KEY": GatewayResponse(403, "forbidden", "Forbidden"),
    "THROTTLED": GatewayResponse(429, "throttled", "Too many requests.", {"Retry-After": "1"}),
    "REQUEST_TOO_LARGE": GatewayResponse(413, "too_large", "Too large."),
    "MISSING_AUTHENTICATION_TOKEN": GatewayResponse(404, "not_found", "No such route."),
}
"""Gateway responses of the ingest (REST) API, keyed by API Gateway response type: a refused
key (authorizer Deny: ACCESS_DENIED) is 401, not REST's default 403; an unmatched route is 404;
an Allow whose usage key is missing or not in the usage plan is 403 (INVALID_API_KEY) and a
publisher over its usage-plan throttle is 429 (THROTTLED).
The CDK stack and the local gateway both answer from this table."""
