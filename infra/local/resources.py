"""The local runtime's provisioning: what the topologies declare, created on the local AWS
with boto3 (`provision`).

WHAT each declaration becomes (names, requests, patterns, environments, gateway
responses) is `infra.shape`, shared with the CDK app; this module re-exports it for the
local runtime's callers and adds the boto3 side.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from secrets import token_urlsafe
from typing import Any

from common.topology import (
    MalwareScan,
    QueueFed,
    SecretKind,
    ServiceTopology,
    Subscription,
)
from infra.shape.gateway import INGEST_GATEWAY_RESPONSES, REQUEST_ID_VARIABLE, GatewayResponse
from infra.shape.resources import (
    EVENT_ARCHIVE_LOGICAL,
    EVENT_ARCHIVE_RETENTION_DAYS,
    EVENT_BUS_LOGICAL,
    MAIL_EVENT_DESTINATION,
    OBJECT_CREATED_EVENTS,
    RELAY_DLQ_LOGICAL,
    CdnValues,
    PlatformValues,
    bucket_name,
    bucket_notification_configuration,
    cdn_parameters,
    claimed_bucket_name,
    create_table_request,
    create_usage_plan_request,
    event_archive_name,
    event_archive_pattern,
    event_bus_name,
    function_environment,
    lifecycle_configuration,
    mail_event_destination,
    mail_events_topic_name,
    malware_scan_pattern,
    notification_queue_configuration,
    queue_attributes,
    relay_dlq_name,
    rule_name,
    rule_pattern,
    table_name,
    table_request,
    usage_plan_environment,
    usage_plan_name,
)

__all__ = [
    "EVENT_ARCHIVE_LOGICAL",
    "EVENT_ARCHIVE_RETENTION_DAYS",
    "EVENT_BUS_LOGICAL",
    "INGEST_GATEWAY_RESPONSES",
    "MAIL_EVENT_DESTINATION",
    "OBJECT_CREATED_EVENTS",
    "RELAY_DLQ_LOGICAL",
    "REQUEST_ID_VARIABLE",
    "CdnValues",
    "GatewayResponse",
    "KeyGroup",
    "MailEventsTopic",
    "OutboxStream",
    "PlatformValues",
    "Provisioned",
    "SubscriptionQueues",
    "bucket_name",
    "bucket_notification_configuration",
    "cdn_parameters",
    "claimed_bucket_name",
    "create_table_request",
    "create_usage_plan_request",
    "event_archive_name",
    "event_archive_pattern",
    "event_bus_name",
    "function_environment",
    "lifecycle_configuration",
    "mail_event_destination",
    "mail_events_topic_name",
    "malware_scan_pattern",
    "new_rsa_key_pair",
    "notification_queue_configuration",
    "provision",
    "provision_bucket_notifications",
    "provision_key_groups",
    "provision_mail_events",
    "provision_malware_scan",
    "provision_subscription",
    "provision_work_queues",
    "queue_attributes",
    "relay_dlq_name",
    "rule_name",
    "rule_pattern",
    "table_name",
    "table_request",
    "usage_plan_environment",
    "usage_plan_name",
]


@dataclass
class SubscriptionQueues:
    """The queue + DLQ of a subscription or of a bucket notification, polled alike."""

    topology: ServiceTopology
    subscription: QueueFed
    queue_url: str
    queue_arn: str
    dlq_url: str


@dataclass
class MailEventsTopic:
    """Where SES publishes a service's mail events (the local simulator publishes there)."""

    topology: ServiceTopology
    configuration_set: str
    topic_arn: str


@dataclass
class OutboxStream:
    topology: ServiceTopology
    table_name: str
    stream_arn: str


@dataclass(frozen=True)
class KeyGroup:
    """A CDN's trusted key group (CloudFront, in moto) and the public key it holds."""

    service: str
    name: str
    bucket: str
    key_group_id: str
    public_key_id: str
    prefixes: tuple[str, ...] = ()
    """What the CDN may read of the bucket (the CDK bucket policy's resources)."""


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
    key_groups: list[KeyGroup] = field(default_factory=list)
    """One per declared CDN of signed downloads."""
    mail_topics: list[MailEventsTopic] = field(default_factory=list)


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


def provision_work_queues(
    topology: ServiceTopology, stage: str, *, sqs: Any
) -> list[SubscriptionQueues]:
    """Queue + DLQ per work queue (the service's functions send to it themselves)."""
    return [
        _provision_queues(topology, stage, declared, sqs=sqs) for declared in topology.work_queues
    ]


def provision_mail_events(
    topology: ServiceTopology, stage: str, *, sqs: Any, sns: Any, ses: Any
) -> tuple[SubscriptionQueues, MailEventsTopic] | None:
    """SES configuration set -> SNS topic -> queue (+DLQ, raw delivery) -> function."""
    declared = topology.mail_events
    configuration_set = topology.mail_configuration_set(stage)
    if declared is None or configuration_set is None:
        return None
    queues = _provision_queues(topology, stage, declared, sqs=sqs)
    topic_arn = sns.create_topic(Name=mail_events_topic_name(topology, stage, declared))["TopicArn"]
    sns.subscribe(
        TopicArn=topic_arn,
        Protocol="sqs",
        Endpoint=queues.queue_arn,
        Attributes={"RawMessageDelivery": "true"},
    )
    ses.create_configuration_set(ConfigurationSet={"Name": configuration_set})
    ses.create_configuration_set_event_destination(
        ConfigurationSetName=configuration_set,
        EventDestination=mail_event_destination(declared, topic_arn),
    )
    return queues, MailEventsTopic(topology, configuration_set, topic_arn)


def provision_bucket_notifications(
    topology: ServiceTopology,
    stage: str,
    *,
    sqs: Any,
    s3: Any,
    extra: Mapping[str, list[dict[str, Any]]] | None = None,
) -> list[SubscriptionQueues]:
    """Queue + DLQ per bucket notification, then each bucket's notification configuration
    (queues only: moto cannot target a Lambda ARN). S3 then sends an s3:TestEvent.
    `extra` adds queue configurations of the runtime's own (bucket name -> configurations:
    the simulated malware scanner)."""
    created = [
        _provision_queues(topology, stage, notification, sqs=sqs)
        for notification in topology.bucket_notifications
    ]
    arns = {queues.subscription.name: queues.queue_arn for queues in created}
    for bucket in topology.buckets:
        name = bucket_name(topology, stage, bucket)
        configuration = bucket_notification_configuration(topology, bucket, arns)
        configuration["QueueConfigurations"] += (extra or {}).get(name, [])
        if configuration["QueueConfigurations"]:
            s3.put_bucket_notification_configuration(
                Bucket=name, NotificationConfiguration=configuration
            )
    return created


def provision_malware_scan(
    topology: ServiceTopology, stage: str, scan: MalwareScan, *, sqs: Any, events: Any
) -> SubscriptionQueues:
    """Queue + DLQ + a rule on the DEFAULT bus (where GuardDuty publishes) -> the queue."""
    queues = _provision_queues(topology, stage, scan, sqs=sqs)
    name = rule_name(topology, stage, scan)
    events.put_rule(
        Name=name,
        EventPattern=json.dumps(malware_scan_pattern(topology, stage, scan)),
        State="ENABLED",
    )
    events.put_targets(Rule=name, Targets=[{"Id": "queue", "Arn": queues.queue_arn}])
    return queues


def new_rsa_key_pair() -> tuple[str, str]:
    """(private PEM, public PEM) of a fresh 2048-bit RSA key: CloudFront's key size."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def provision_key_groups(
    topology: ServiceTopology, stage: str, public_keys: Mapping[str, str], *, cloudfront: Any
) -> list[KeyGroup]:
    """Each CDN's public key and trusted key group, as the CDK app declares them."""
    created = []
    for downloads in topology.signed_downloads:
        name = topology.resource_name(stage, downloads.name)
        public_key = cloudfront.create_public_key(
            PublicKeyConfig={
                "CallerReference": name,
                "Name": name,
                "EncodedKey": public_keys[downloads.signing_key],
                "Comment": f"private half: secret {downloads.signing_key}",
            }
        )["PublicKey"]
        group = cloudfront.create_key_group(
            KeyGroupConfig={"Name": name, "Items": [public_key["Id"]]}
        )["KeyGroup"]
        bucket = next(b for b in topology.buckets if b.name == downloads.bucket)
        created.append(
            KeyGroup(
                service=topology.service,
                name=downloads.name,
                bucket=bucket_name(topology, stage, bucket),
                key_group_id=group["Id"],
                public_key_id=public_key["Id"],
                prefixes=downloads.prefixes,
            )
        )
    return created


def provision(
    topologies: Iterable[ServiceTopology],
    stage: str,
    clients: Mapping[str, Any],
    scanner_queues: Mapping[str, list[dict[str, Any]]] | None = None,
) -> Provisioned:
    """Create every table, bucket, queue, DLQ and rule the topologies declare.

    `clients` maps "dynamodb", "s3", "sqs", "events", "secretsmanager" (and "apigateway"
    when a topology declares a publisher usage plan, "cloudfront" when one declares signed
    downloads, "sns" and "ses" when it declares mail events) to boto3 clients of the local
    AWS. Declared secrets get a fresh value on every start: a random string, or a new RSA
    key pair whose public half goes into the CDN's key group. `scanner_queues` maps a
    bucket's name to the runtime's own notification configurations for it (the simulated
    malware scanner's queue).
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
            if bucket.expiries:
                s3.put_bucket_lifecycle_configuration(
                    Bucket=bucket_name(topology, stage, bucket),
                    LifecycleConfiguration=lifecycle_configuration(bucket),
                )
        public_keys = {}
        for secret in topology.secrets:
            value = token_urlsafe(48)
            if secret.kind is SecretKind.RSA_PRIVATE_KEY:
                value, public_keys[secret.name] = new_rsa_key_pair()
            secretsmanager.create_secret(
                Name=secret.secret_id(stage), Description=secret.description, SecretString=value
            )
        if topology.signed_downloads:
            result.key_groups += provision_key_groups(
                topology, stage, public_keys, cloudfront=clients["cloudfront"]
            )
        for subscription in topology.subscriptions:
            result.queues.append(
                provision_subscription(topology, stage, subscription, bus, sqs=sqs, events=events)
            )
        for schedule in topology.schedules:
            result.queues.append(_provision_queues(topology, stage, schedule, sqs=sqs))
        for scan in topology.malware_scans:
            result.queues.append(
                provision_malware_scan(topology, stage, scan, sqs=sqs, events=events)
            )
        result.queues.extend(
            provision_bucket_notifications(topology, stage, sqs=sqs, s3=s3, extra=scanner_queues)
        )
        result.queues.extend(provision_work_queues(topology, stage, sqs=sqs))
        mail = provision_mail_events(
            topology, stage, sqs=sqs, sns=clients.get("sns"), ses=clients.get("ses")
        )
        if mail is not None:
            result.queues.append(mail[0])
            result.mail_topics.append(mail[1])
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
