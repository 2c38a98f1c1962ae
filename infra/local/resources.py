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
    CDN_KEY_PAIR_PARAMETER,
    CDN_URL_PARAMETER,
    EDGE_REGION,
    GUARDDUTY_SCAN_RESULT,
    GUARDDUTY_SOURCE,
    HTTP_API_URL_ENV,
    JWT_ENV,
    MAIL_CONFIGURATION_SET_ENV,
    PLATFORM_ENV,
    USAGE_PLAN_ENV,
    Bucket,
    BucketNotification,
    ClaimCheck,
    MailEvents,
    MalwareScan,
    PlatformRef,
    QueueFed,
    SecretKind,
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


def claimed_bucket_name(claim: ClaimCheck, stage: str, account_id: str | None = None) -> str:
    """The owner's bucket a claim check reads (named as the owner's stack names it)."""
    name = f"scts-{stage}-{claim.service}-{claim.bucket}"
    return f"{name}-{account_id}" if account_id else name


def rule_name(
    topology: ServiceTopology, stage: str, subscription: Subscription | MalwareScan
) -> str:
    return topology.resource_name(stage, f"{subscription.name}-rule")


def malware_scan_pattern(
    topology: ServiceTopology, stage: str, scan: MalwareScan, account_id: str | None = None
) -> dict[str, Any]:
    """The default-bus rule for the verdicts GuardDuty publishes on the scanned prefix."""
    bucket = next(b for b in topology.buckets if b.name == scan.bucket)
    return {
        "source": [GUARDDUTY_SOURCE],
        "detail-type": [GUARDDUTY_SCAN_RESULT],
        "detail": {
            "s3ObjectDetails": {
                "bucketName": [bucket_name(topology, stage, bucket, account_id)],
                "objectKey": [{"prefix": scan.prefix}],
            }
        },
    }


def lifecycle_configuration(bucket: Bucket) -> dict[str, Any]:
    """The bucket's lifecycle rules (S3 replaces them as a whole): one per expiry."""
    return {
        "Rules": [
            {
                "ID": f"expire-{expiry.prefix.strip('/').replace('/', '-')}",
                "Filter": {"Prefix": expiry.prefix},
                "Status": "Enabled",
                "Expiration": {"Days": expiry.days},
            }
            for expiry in bucket.expiries
        ]
    }


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
    account_id: str | None = None,
    http_api_url: str | None = None,
) -> dict[str, str]:
    """The SCTS_ variables every function of the service gets (same in the cloud, where
    `account_id` makes bucket names globally unique). `http_api_url` is the service's own
    HTTP API base URL (links in what it sends); the CDK adds it once the API exists."""
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
    for claim in topology.claim_checks:
        env[claim.env_var] = claimed_bucket_name(claim, stage, account_id)
    for secret in topology.secrets:
        env[secret.env_var] = secret.secret_id(stage)
    for schedule in topology.schedules:
        env[schedule.env_var] = topology.queue_name(stage, schedule)
    for downloads in topology.signed_downloads:
        env[downloads.parameters_env_var] = downloads.parameter_path(stage, topology.service)
        env[downloads.region_env_var] = EDGE_REGION
    for work_queue in topology.work_queues:
        env[work_queue.env_var] = topology.queue_name(stage, work_queue)
    configuration_set = topology.mail_configuration_set(stage)
    if configuration_set is not None:
        env[MAIL_CONFIGURATION_SET_ENV] = configuration_set
    for ref in sorted(topology.platform):
        env.update(platform.for_ref(ref))
    if topology.has_user_routes:
        env.update(platform.jwt_env())
    if http_api_url is not None and topology.http_routes:
        env[HTTP_API_URL_ENV] = http_api_url
    return env


@dataclass(frozen=True)
class CdnValues:
    """What a CDN of signed downloads is, once it exists: its base URL and the id of the
    trusted public key whose private half signs (CloudFront's key pair id)."""

    url: str
    key_pair_id: str


def cdn_parameters(
    topology: ServiceTopology, stage: str, name: str, values: CdnValues
) -> dict[str, str]:
    """The SSM parameters (name -> value) that tell the service what its CDN is: written
    by the edge stack in the cloud, by the runtime locally."""
    downloads = next(d for d in topology.signed_downloads if d.name == name)
    path = downloads.parameter_path(stage, topology.service)
    return {
        f"{path}/{CDN_URL_PARAMETER}": values.url,
        f"{path}/{CDN_KEY_PAIR_PARAMETER}": values.key_pair_id,
    }


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


def mail_events_topic_name(topology: ServiceTopology, stage: str, declared: MailEvents) -> str:
    return topology.resource_name(stage, f"{declared.name}-topic")


MAIL_EVENT_DESTINATION = "sns"
"""The name of the configuration set's one event destination (CDK uses the same)."""


def mail_event_destination(declared: MailEvents, topic_arn: str) -> dict[str, Any]:
    """SES v1 `EventDestination` of the service's configuration set: its events -> SNS."""
    return {
        "Name": MAIL_EVENT_DESTINATION,
        "Enabled": True,
        "MatchingEventTypes": [kind.lower() for kind in declared.events],
        "SNSDestination": {"TopicARN": topic_arn},
    }


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
