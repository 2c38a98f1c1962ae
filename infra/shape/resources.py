"""From topologies to what AWS resources are: names, requests, patterns and environments.

Pure functions and plain data, read by both the CDK app (`infra.cdk`) and the local
runtime (`infra.local`), which import this module and never each other: they say WHAT each
declaration becomes (same names, keys, patterns, redrive and env), so local and cloud agree.
No boto3, no aws_cdk here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from common.external_names import (
    CDN_KEY_PAIR_PARAMETER,
    CDN_URL_PARAMETER,
    GUARDDUTY_SCAN_RESULT,
    GUARDDUTY_SOURCE,
)
from common.topology import (
    EDGE_REGION,
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


PYTHON_ENVIRONMENT = {"PYDANTIC_DISABLE_PLUGINS": "__all__"}
"""What every function's interpreter is told: no pydantic plugin is used here, and looking
for one scans the metadata of every installed package when the first model is validated
(~10 ms of a cold start)."""


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
        **PYTHON_ENVIRONMENT,
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
