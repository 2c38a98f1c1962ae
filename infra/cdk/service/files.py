"""A service stack's file and schedule declarations, in AWS: bucket expiries, schedules,
malware scans, claim checks on another service's shared prefix, and the side of a CDN of
signed downloads that lives with the bucket (the distribution is the edge stack's).

Built from the topology through the same pure functions the local runtime uses
(`infra.shape`): rule patterns, names, parameter paths.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_guardduty as guardduty
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_secretsmanager as secretsmanager

from common.topology import (
    EDGE_REGION,
    Bucket,
    ClaimCheck,
    MalwareScan,
    Schedule,
    Secret,
    SignedDownloads,
)
from infra.cdk.nag import acknowledge, logical_id
from infra.cdk.service.encryption import allow_eventbridge
from infra.cdk.service.functions import grant_send
from infra.cdk.service.queues import consume, consumer_queue
from infra.shape.resources import claimed_bucket_name, malware_scan_pattern, rule_name

if TYPE_CHECKING:
    from infra.cdk.service.stack import ServiceStack

GUARDDUTY_PRINCIPAL = "malware-protection-plan.guardduty.amazonaws.com"
GUARDDUTY_MANAGED_RULE = "DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*"


def _as_nag_names(stack: cdk.Stack) -> tuple[str, str]:
    """Region and account as cdk-nag writes them in a finding (resolved when the stack has
    an environment, else the pseudo parameters)."""
    region = "<AWS::Region>" if cdk.Token.is_unresolved(stack.region) else stack.region
    account = "<AWS::AccountId>" if cdk.Token.is_unresolved(stack.account) else stack.account
    return region, account


def lifecycle_rules(bucket: Bucket) -> list[s3.LifecycleRule]:
    """One rule per declared expiry (the local runtime puts the same rules)."""
    return [
        s3.LifecycleRule(
            id=f"expire-{expiry.prefix.strip('/').replace('/', '-')}",
            prefix=expiry.prefix,
            expiration=cdk.Duration.days(expiry.days),
        )
        for expiry in bucket.expiries
    ]


def operator_secret(stack: ServiceStack, declared: Secret) -> secretsmanager.ISecret:
    """An RSA key made by an operator (README: deploy step 2), referenced by name: the
    template never holds it, CloudFormation never generates it."""
    return secretsmanager.Secret.from_secret_name_v2(
        stack, f"Secret-{declared.name}", declared.secret_id(stack.stage_config.name)
    )


def schedule(stack: ServiceStack, declared: Schedule) -> None:
    """EventBridge Scheduler -> the schedule's queue (the message the local scheduler
    sends) -> its function; a target that cannot be reached goes to the DLQ."""
    queue, dead_letter_queue = consumer_queue(stack, declared)
    role = iam.Role(
        stack,
        f"ScheduleRole-{declared.name}",
        assumed_by=iam.ServicePrincipal(
            "scheduler.amazonaws.com",
            conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
        ),
        description=f"EventBridge Scheduler sends {declared.name} runs to their queue.",
    )
    queue.grant_send_messages(role)
    dead_letter_queue.grant_send_messages(role)
    grant_send(stack, queue, declared.name)
    acknowledge(
        role.node.find_child("DefaultPolicy"),
        "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]",
        "CDK's send grant on a queue encrypted with this service's own key (one key).",
    )
    acknowledge(
        role.node.find_child("DefaultPolicy"),
        "AwsSolutions-IAM5[Action::kms:ReEncrypt*]",
        "CDK's send grant on a queue encrypted with this service's own key (one key).",
    )
    scheduler.CfnSchedule(
        stack,
        f"Schedule-{declared.name}",
        name=stack.topology.schedule_name(stack.stage_config.name, declared),
        description=declared.description,
        schedule_expression=declared.expression,
        schedule_expression_timezone=declared.timezone,
        flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
        target=scheduler.CfnSchedule.TargetProperty(
            arn=queue.queue_arn,
            role_arn=role.role_arn,
            input=json.dumps(
                {"schedule": declared.name, "scheduled_time": "<aws.scheduler.scheduled-time>"}
            ),
            dead_letter_config=scheduler.CfnSchedule.DeadLetterConfigProperty(
                arn=dead_letter_queue.queue_arn
            ),
            retry_policy=scheduler.CfnSchedule.RetryPolicyProperty(
                maximum_retry_attempts=declared.max_retries,
                maximum_event_age_in_seconds=declared.max_event_age_seconds,
            ),
        ),
    )
    consume(stack, queue, declared.function, declared.batch_size)


def malware_scan(stack: ServiceStack, declared: MalwareScan) -> None:
    """GuardDuty Malware Protection for S3 on the prefix (tagging verdicts), and the rule on
    the account's default bus that sends its verdicts to the scan's queue -> function."""
    bucket = stack.buckets[declared.bucket]
    role = iam.Role(
        stack,
        f"MalwareScanRole-{declared.name}",
        assumed_by=iam.ServicePrincipal(GUARDDUTY_PRINCIPAL),
        description=f"GuardDuty scans {declared.prefix} of the {declared.bucket} bucket.",
    )
    managed_rule = (
        f"arn:{stack.partition}:events:{stack.region}:{stack.account}:rule/{GUARDDUTY_MANAGED_RULE}"
    )
    managed = {"StringLike": {"events:ManagedBy": GUARDDUTY_PRINCIPAL}}
    statements = [
        iam.PolicyStatement(
            actions=[
                "events:PutRule", "events:DeleteRule", "events:PutTargets", "events:RemoveTargets"
            ],
            resources=[managed_rule],
            conditions=managed,
        ),
        iam.PolicyStatement(
            actions=["events:DescribeRule", "events:ListTargetsByRule"], resources=[managed_rule]
        ),
        iam.PolicyStatement(
            actions=["s3:PutObjectTagging", "s3:GetObjectTagging", "s3:PutObjectVersionTagging",
                     "s3:GetObjectVersionTagging", "s3:GetObject", "s3:GetObjectVersion"],
            resources=[bucket.arn_for_objects(f"{declared.prefix}*")],
        ),
        iam.PolicyStatement(
            actions=["s3:PutObject"],
            resources=[bucket.arn_for_objects("malware-protection-resource-validation-object")],
        ),
        iam.PolicyStatement(
            actions=["s3:PutBucketNotification", "s3:GetBucketNotification", "s3:ListBucket"],
            resources=[bucket.bucket_arn],
        ),
        iam.PolicyStatement(
            actions=["kms:GenerateDataKey", "kms:Decrypt"],
            resources=[stack.key.key_arn],
            conditions={"StringLike": {"kms:ViaService": f"s3.{stack.region}.amazonaws.com"}},
        ),
    ]  # fmt: skip
    for statement in statements:
        role.add_to_policy(statement)
    policy = role.node.find_child("DefaultPolicy")
    region, account = _as_nag_names(stack)
    acknowledge(
        policy,
        f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:{region}:{account}:rule/"
        f"{GUARDDUTY_MANAGED_RULE}]",
        "The rule GuardDuty manages for the plan; AWS names it with a generated suffix.",
    )
    acknowledge(
        policy,
        f"AwsSolutions-IAM5[Resource::<{logical_id(bucket)}.Arn>/{declared.prefix}*]",
        "GuardDuty reads and tags every object of the scanned prefix, and only those.",
    )
    plan = guardduty.CfnMalwareProtectionPlan(
        stack,
        f"MalwareProtection-{declared.name}",
        role=role.role_arn,
        protected_resource=guardduty.CfnMalwareProtectionPlan.CFNProtectedResourceProperty(
            s3_bucket=guardduty.CfnMalwareProtectionPlan.S3BucketProperty(
                bucket_name=bucket.bucket_name, object_prefixes=[declared.prefix]
            )
        ),
        actions=guardduty.CfnMalwareProtectionPlan.CFNActionsProperty(
            tagging=guardduty.CfnMalwareProtectionPlan.CFNTaggingProperty(status="ENABLED")
        ),
    )
    plan.node.add_dependency(role)
    queue, _ = consumer_queue(stack, declared)
    allow_eventbridge(stack, queue)
    pattern = malware_scan_pattern(stack.topology, stack.stage_config.name, declared, stack.account)
    events.Rule(
        stack,
        f"Rule-{declared.name}",
        rule_name=rule_name(stack.topology, stack.stage_config.name, declared),
        description="GuardDuty's verdicts on the scanned prefix (default bus).",
        event_pattern=events.EventPattern(
            source=pattern["source"], detail_type=pattern["detail-type"], detail=pattern["detail"]
        ),
        targets=[
            targets.SqsQueue(
                queue,
                dead_letter_queue=stack.rule_dead_letter_queue,
                retry_attempts=8,
                max_event_age=cdk.Duration.hours(24),
            )
        ],
    )
    consume(stack, queue, declared.function, declared.batch_size)


def claim_check(stack: ServiceStack, declared: ClaimCheck) -> None:
    """Read (only read) the shared prefix of the owner's bucket, decrypting through S3 with
    the owner's key (named by its alias: no reference to the owner's stack)."""
    function = stack.resources.functions[declared.function]
    name = claimed_bucket_name(declared, stack.stage_config.name, stack.account)
    objects = f"arn:{stack.partition}:s3:::{name}/{declared.prefix}*"
    function.add_to_role_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=[objects]))
    owner_key = f"alias/scts-{stack.stage_config.name}-{declared.service}-key"
    function.add_to_role_policy(
        iam.PolicyStatement(
            actions=["kms:Decrypt"],
            resources=[f"arn:{stack.partition}:kms:{stack.region}:{stack.account}:key/*"],
            conditions={
                "ForAnyValue:StringEquals": {"kms:ResourceAliases": [owner_key]},
                "StringEquals": {"kms:ViaService": f"s3.{stack.region}.amazonaws.com"},
            },
        )
    )
    policy = function.role.node.find_child("DefaultPolicy")  # type: ignore[union-attr]
    region, account = _as_nag_names(stack)
    nag_name = name.replace(stack.account, account)
    acknowledge(
        policy,
        f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::{nag_name}/{declared.prefix}*]",
        f"Claim check {declared.name}: read-only, on the prefix {declared.service} shares "
        "with this service (its topology's Bucket.shares), nothing else of its bucket.",
    )
    acknowledge(
        policy,
        f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:{region}:{account}:key/*]",
        f"Decrypt only through S3 and only with the key aliased {owner_key}; the key's id is "
        "generated, so it is named by its alias instead of a reference to the owner's stack.",
    )


def signed_downloads(stack: ServiceStack, declared: SignedDownloads) -> None:
    """The bucket's side of the CDN: CloudFront (any distribution of this account; the
    edge's id is not known here, it deploys after this stack) may read what is served and
    decrypt it; functions may read the parameters the edge writes."""
    bucket = stack.buckets[declared.bucket]
    account_distributions = f"arn:{stack.partition}:cloudfront::{stack.account}:distribution/*"
    conditions = {
        "StringEquals": {"aws:SourceAccount": stack.account},
        "ArnLike": {"aws:SourceArn": account_distributions},
    }
    bucket.add_to_resource_policy(
        iam.PolicyStatement(
            sid="AllowCloudFrontSignedDownloads",
            principals=[iam.ServicePrincipal("cloudfront.amazonaws.com")],
            actions=["s3:GetObject"],
            resources=[bucket.arn_for_objects(f"{prefix}*") for prefix in declared.prefixes],
            conditions=conditions,
        )
    )
    stack.key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="AllowCloudFrontSignedDownloads",
            principals=[iam.ServicePrincipal("cloudfront.amazonaws.com")],
            actions=["kms:Decrypt"],
            resources=["*"],
            conditions=conditions,
        )
    )
    path = declared.parameter_path(stack.stage_config.name, stack.topology.service)
    _, account = _as_nag_names(stack)
    parameters = f"arn:{stack.partition}:ssm:{EDGE_REGION}:{stack.account}:parameter{path}/*"
    for signer in declared.signers:
        function = stack.resources.functions[signer]
        function.add_to_role_policy(
            iam.PolicyStatement(actions=["ssm:GetParameter"], resources=[parameters])
        )
        acknowledge(
            function.role.node.find_child("DefaultPolicy"),  # type: ignore[union-attr]
            f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:{EDGE_REGION}:{account}:"
            f"parameter{path}/*]",
            "The CDN's URL and key pair id, written by the edge stack under this service's path.",
        )
