"""Security and reliability gates on synthesized CloudFormation templates.

Each gate takes template(s) as plain dicts and returns human-readable violations (an
empty list means the gate passes), so the same gate runs on the real app and on a
deliberately broken variant.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

Template = Mapping[str, Any]

TABLE_TYPES = ("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable")


def resources(template: Template, *types: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource
        for logical_id, resource in template.get("Resources", {}).items()
        if resource["Type"] in types
    }


def props(resource: Mapping[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = resource.get("Properties", {})
    return properties


def by_name(
    template: Template, resource_type: str, name_property: str
) -> dict[Any, tuple[str, dict[str, Any]]]:
    """Resources of one type keyed by a naming property (e.g. FunctionName): (id, resource)."""
    return {
        props(resource).get(name_property): (logical_id, resource)
        for logical_id, resource in resources(template, resource_type).items()
    }


def web_acl_rules_missing(acl: Mapping[str, Any]) -> list[str]:
    """A web ACL runs exactly the AWS common and known-bad-inputs rule groups, plus a
    per-IP rate rule."""
    rules = props(acl)["Rules"]
    managed = {
        r["Statement"]["ManagedRuleGroupStatement"]["Name"]
        for r in rules
        if "ManagedRuleGroupStatement" in r["Statement"]
    }
    found = []
    expected = {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"}
    if managed != expected:
        found.append(f"managed rule groups {sorted(managed)} instead of {sorted(expected)}")
    if not any(
        r["Statement"].get("RateBasedStatement", {}).get("AggregateKeyType") == "IP" for r in rules
    ):
        found.append("no per-IP rate rule")
    return found


def refers_to(value: Any, logical_id: str) -> bool:
    """True if `value` (an intrinsic or literal) points at resource `logical_id`."""
    text = json.dumps(value)
    return f'"Ref": "{logical_id}"' in text or f'["{logical_id}", "Arn"]' in text


def unencrypted(template: Template) -> list[str]:
    """Tables, queues, buckets, log groups and topics must be encrypted at rest."""
    found = []
    for logical_id, table in resources(template, *TABLE_TYPES).items():
        sse = props(table).get("SSESpecification", {})
        if not sse.get("SSEEnabled"):
            found.append(f"table {logical_id} is not KMS-encrypted")
    for logical_id, queue in resources(template, "AWS::SQS::Queue").items():
        p = props(queue)
        if "KmsMasterKeyId" not in p and not p.get("SqsManagedSseEnabled"):
            found.append(f"queue {logical_id} is not encrypted")
    for logical_id, bucket in resources(template, "AWS::S3::Bucket").items():
        if "BucketEncryption" not in props(bucket):
            found.append(f"bucket {logical_id} is not encrypted")
    for logical_id, group in resources(template, "AWS::Logs::LogGroup").items():
        if "KmsKeyId" not in props(group):
            found.append(f"log group {logical_id} is not KMS-encrypted")
        if "RetentionInDays" not in props(group):
            found.append(f"log group {logical_id} keeps logs forever")
    for logical_id, topic in resources(template, "AWS::SNS::Topic").items():
        if "KmsMasterKeyId" not in props(topic):
            found.append(f"topic {logical_id} is not encrypted")
    return found


def functions_without_their_log_group(template: Template) -> list[str]:
    """Every function (ours and the CDK's own) logs into a log group of its template, which
    `unencrypted` checks; without one Lambda makes `/aws/lambda/<name>`, unencrypted and kept
    forever."""
    groups = resources(template, "AWS::Logs::LogGroup")
    found = []
    for logical_id, function in resources(template, "AWS::Lambda::Function").items():
        target = props(function).get("LoggingConfig", {}).get("LogGroup")
        if not any(refers_to(target, group) for group in groups):
            found.append(f"function {logical_id} logs into no log group of its stack")
    return found


def open_buckets(template: Template) -> list[str]:
    """Every bucket blocks public access and its policy denies non-TLS requests."""
    found = []
    policies = resources(template, "AWS::S3::BucketPolicy").values()
    for logical_id, bucket in resources(template, "AWS::S3::Bucket").items():
        block = props(bucket).get("PublicAccessBlockConfiguration", {})
        flags = (
            "BlockPublicAcls",
            "BlockPublicPolicy",
            "IgnorePublicAcls",
            "RestrictPublicBuckets",
        )
        if not all(block.get(flag) is True for flag in flags):
            found.append(f"bucket {logical_id} does not block public access")
        denies_plain_http = any(
            refers_to(props(policy).get("Bucket"), logical_id)
            and any(
                statement.get("Effect") == "Deny"
                and statement.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport")
                == "false"
                for statement in props(policy)["PolicyDocument"]["Statement"]
            )
            for policy in policies
        )
        if not denies_plain_http:
            found.append(f"bucket {logical_id} does not deny non-TLS requests")
    return found


def dead_letter_queue_ids(template: Template) -> set[str]:
    """Queues some redrive policy, rule target, mapping or subscription uses as a DLQ."""
    queue_ids = set(resources(template, "AWS::SQS::Queue"))
    used = []
    for queue in resources(template, "AWS::SQS::Queue").values():
        used.append(props(queue).get("RedrivePolicy", {}).get("deadLetterTargetArn"))
    for rule in resources(template, "AWS::Events::Rule").values():
        used.extend(target.get("DeadLetterConfig") for target in props(rule).get("Targets", []))
    for mapping in resources(template, "AWS::Lambda::EventSourceMapping").values():
        used.append(props(mapping).get("DestinationConfig"))
    for subscription in resources(template, "AWS::SNS::Subscription").values():
        used.append(props(subscription).get("RedrivePolicy"))
    return {q for q in queue_ids if any(refers_to(value, q) for value in used if value)}


def queues_without_dlq(template: Template) -> list[str]:
    """Every queue is a DLQ itself or redrives to one."""
    dlqs = dead_letter_queue_ids(template)
    return [
        f"queue {logical_id} has no dead-letter queue"
        for logical_id, queue in resources(template, "AWS::SQS::Queue").items()
        if logical_id not in dlqs and "RedrivePolicy" not in props(queue)
    ]


def dlqs_without_alarm(service_templates: Iterable[Template], alarms: Template) -> list[str]:
    """Every DLQ (by physical name) has a depth > 0 alarm in the observability template."""
    watched = {
        props(alarm).get("Dimensions", [{}])[0].get("Value")
        for alarm in resources(alarms, "AWS::CloudWatch::Alarm").values()
        if props(alarm).get("MetricName") == "ApproximateNumberOfMessagesVisible"
        and props(alarm).get("Threshold") == 0
    }
    found = []
    for template in (*service_templates, alarms):
        for logical_id in dead_letter_queue_ids(template):
            name = props(resources(template, "AWS::SQS::Queue")[logical_id]).get("QueueName")
            if name not in watched:
                found.append(f"DLQ {logical_id} ({name}) has no depth alarm")
    return found


STREAM_RETENTION_SECONDS = 24 * 3600
"""DynamoDB Streams keep a record 24 h; a record still failing must be given up (to the
on-failure destination) before the stream trims it, or nobody would ever hear of it."""


def mappings_without_partial_failures(template: Template) -> list[str]:
    """Every SQS or stream event source reports batch item failures; streams also bisect,
    keep failures in a destination, and stop retrying a record (by count or by age) while
    the stream still holds it."""
    found = []
    for logical_id, mapping in resources(template, "AWS::Lambda::EventSourceMapping").items():
        p = props(mapping)
        if "ReportBatchItemFailures" not in p.get("FunctionResponseTypes", []):
            found.append(f"event source {logical_id} does not report batch item failures")
        if "StartingPosition" in p:  # a stream
            if not p.get("BisectBatchOnFunctionError"):
                found.append(f"stream source {logical_id} does not bisect failing batches")
            age = p.get("MaximumRecordAgeInSeconds", -1)
            if not 0 < age < STREAM_RETENTION_SECONDS:
                found.append(
                    f"stream source {logical_id} retries a record until the stream trims "
                    "it (set MaximumRecordAgeInSeconds below 24 h)"
                )
            if "OnFailure" not in p.get("DestinationConfig", {}):
                found.append(f"stream source {logical_id} has no on-failure destination")
    return found


def rule_targets_without_retry_or_dlq(template: Template) -> list[str]:
    found = []
    for logical_id, rule in resources(template, "AWS::Events::Rule").items():
        for target in props(rule).get("Targets", []):
            if "RetryPolicy" not in target:
                found.append(f"rule {logical_id} target {target['Id']} has no retry policy")
            if "DeadLetterConfig" not in target:
                found.append(f"rule {logical_id} target {target['Id']} has no DLQ")
    return found


def foreign_access(
    template: Template,
    service: str,
    other_services: Iterable[str],
    claimed: Iterable[str] = (),
) -> list[str]:
    """A service's roles reach only its own resources (plus the shared platform's bus,
    user pool and mail identity), and may put only its own event source on the bus. The
    one exception is a declared claim check: `s3:GetObject` alone, on exactly the shared
    prefix (`claimed`: `<bucket name>/<prefix>*` of each of the service's claim checks)."""
    found = []
    claimed = tuple(claimed)
    others = [o for o in other_services if o != service]
    for logical_id, policy in resources(template, "AWS::IAM::Policy").items():
        for statement in props(policy)["PolicyDocument"]["Statement"]:
            actions = (
                statement["Action"]
                if isinstance(statement["Action"], list)
                else [statement["Action"]]
            )
            targets = (
                statement["Resource"]
                if isinstance(statement["Resource"], list)
                else [statement["Resource"]]
            )
            text = json.dumps(targets)
            claim = actions == ["s3:GetObject"] and all(
                any(f":s3:::{c}" in json.dumps(t) for c in claimed) for t in targets
            )
            for other in [] if claim else others:
                if f"-{other}-" in text or f"-{other}:" in text or f"/{other}/" in text:
                    found.append(f"policy {logical_id} of {service} reaches {other}: {text}")
            for target in targets:
                if target == "*" and not all(a.startswith("xray:") for a in actions):
                    found.append(f"policy {logical_id} grants {actions} on *")
                imported = isinstance(target, dict) and "Fn::ImportValue" in json.dumps(target)
                if imported and "-platform:" not in json.dumps(target):
                    found.append(f"policy {logical_id} reaches an import not from platform")
            if "events:PutEvents" in actions:
                source = statement.get("Condition", {}).get("StringEquals", {}).get("events:source")
                if source not in ([f"scts.{service}"], f"scts.{service}"):
                    found.append(f"policy {logical_id} may put events with source {source}")
    return found


SOURCE_CONDITION_KEYS = ("aws:sourceaccount", "aws:sourcearn", "kms:encryptioncontext:")
"""Condition keys that tie a service principal's use of a resource to this account's own
rule, topic, log group... (confused-deputy prevention)."""
RESOURCE_POLICIES = {
    "AWS::KMS::Key": "KeyPolicy",
    "AWS::SQS::QueuePolicy": "PolicyDocument",
    "AWS::SNS::TopicPolicy": "PolicyDocument",
    "AWS::S3::BucketPolicy": "PolicyDocument",
}


def unscoped_service_principals(template: Template) -> list[str]:
    """Every Allow to an AWS service principal in a key, queue, topic or bucket policy is
    conditioned on the source (account, ARN, or the key's encryption context): without it
    the service may use the resource on behalf of any account."""
    found = []
    for resource_type, document_property in RESOURCE_POLICIES.items():
        for logical_id, resource in resources(template, resource_type).items():
            for statement in props(resource)[document_property]["Statement"]:
                principal = statement.get("Principal")
                if statement.get("Effect") != "Allow" or not isinstance(principal, dict):
                    continue
                if "Service" not in principal:
                    continue
                keys = [
                    key.lower()
                    for condition in statement.get("Condition", {}).values()
                    for key in condition
                ]
                if not any(key.startswith(SOURCE_CONDITION_KEYS) for key in keys):
                    found.append(
                        f"{resource_type} {logical_id} allows {principal['Service']} "
                        f"{statement['Action']} for any source"
                    )
    return found


def sqs_pollers_above_reserved_concurrency(template: Template) -> list[str]:
    """A function with reserved concurrency caps its SQS mappings (MaximumConcurrency,
    summed over its queues) at it: otherwise throttled batches return to their queue, one
    receive used each, and reach the DLQ without ever being processed."""
    functions = resources(template, "AWS::Lambda::Function")
    queues = resources(template, "AWS::SQS::Queue")
    caps: dict[str, list[int | None]] = {}
    for mapping in resources(template, "AWS::Lambda::EventSourceMapping").values():
        p = props(mapping)
        if not any(refers_to(p.get("EventSourceArn"), queue) for queue in queues):
            continue
        function = next(f for f in functions if refers_to(p.get("FunctionName"), f))
        caps.setdefault(function, []).append(p.get("ScalingConfig", {}).get("MaximumConcurrency"))
    found = []
    for function, limits in caps.items():
        reserved = props(functions[function]).get("ReservedConcurrentExecutions")
        if reserved is None:
            continue
        if None in limits or sum(limit or 0 for limit in limits) > reserved:
            found.append(
                f"function {function} (reserved concurrency {reserved}) is polled by SQS "
                f"mappings with maximum concurrency {limits}"
            )
    return found
