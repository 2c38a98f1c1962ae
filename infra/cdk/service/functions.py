"""The service's Lambda functions: one role each (under the service's IAM path), its log
group, and the grants the function gets on the service's own resources and the platform's."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs

from common.topology import Access
from contracts.envelope import source_for
from infra.cdk.lambda_code import RUNTIME
from infra.cdk.nag import acknowledge, logical_id
from infra.cdk.service.base import log_group, role_path, role_policy

if TYPE_CHECKING:
    from infra.cdk.service.stack import ServiceStack

KMS_DATA_ACTIONS = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey")
DYNAMODB_READ = (
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
)
DYNAMODB_READ_WRITE = tuple(
    sorted(
        (
            *DYNAMODB_READ,
            "dynamodb:BatchWriteItem",
            "dynamodb:DeleteItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
        )
    )
)
S3_OBJECT_READ = ("s3:GetObject",)
S3_OBJECT_READ_WRITE = ("s3:GetObject", "s3:PutObject", "s3:DeleteObject")
QUEUE_SEND_ACTIONS = ("sqs:SendMessage", "sqs:GetQueueUrl")
USER_POOL_ADMIN_ACTIONS = (
    "cognito-idp:AdminCreateUser",
    "cognito-idp:AdminDeleteUser",
    "cognito-idp:AdminDisableUser",
    "cognito-idp:AdminEnableUser",
    "cognito-idp:AdminGetUser",
    "cognito-idp:AdminResetUserPassword",
    "cognito-idp:AdminSetUserPassword",
    "cognito-idp:AdminSetUserMFAPreference",
    "cognito-idp:AdminUpdateUserAttributes",
    "cognito-idp:AdminAddUserToGroup",
    "cognito-idp:AdminRemoveUserFromGroup",
    "cognito-idp:AdminListGroupsForUser",
    "cognito-idp:AdminUserGlobalSignOut",
    "cognito-idp:ListUsers",
)


def function(
    stack: ServiceStack,
    logical: str,
    *,
    handler: str,
    timeout_seconds: int,
    memory_mb: int,
    reserved_concurrency: int | None,
    environment: dict[str, str],
    access: Access,
) -> lambda_.Function:
    """The function, its role and log group; the role gets the key, its log group and
    exactly what `access` declares."""
    topology, stage = stack.topology, stack.stage_config.name
    name = topology.resource_name(stage, logical)
    logs = log_group(stack, f"Logs-{logical}", f"/aws/lambda/{name}")
    role = iam.Role(
        stack,
        f"Role-{logical}",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        path=role_path(stage, topology.service),
        description=f"{name}: only the {topology.service} service's own resources.",
    )
    role.add_to_policy(
        iam.PolicyStatement(
            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
            resources=[logs.log_group_arn],
        )
    )
    created = lambda_.Function(
        stack,
        f"Function-{logical}",
        function_name=name,
        runtime=RUNTIME,
        architecture=lambda_.Architecture.ARM_64,
        handler=handler,
        code=stack.code.code(),
        layers=[stack.code.layer(stack, topology.service)],
        timeout=cdk.Duration.seconds(timeout_seconds),
        memory_size=memory_mb,
        reserved_concurrent_executions=reserved_concurrency,
        role=role,
        tracing=lambda_.Tracing.ACTIVE,
        log_group=logs,
        logging_format=lambda_.LoggingFormat.JSON,
        system_log_level_v2=lambda_.SystemLogLevel.WARN,
        application_log_level_v2=lambda_.ApplicationLogLevel.INFO,
        environment={
            **environment,
            "POWERTOOLS_SERVICE_NAME": topology.service,
            "POWERTOOLS_METRICS_NAMESPACE": "SCTS",
        },
        environment_encryption=stack.key,
    )
    _grant_key(stack, role)
    _grant_data(stack, role, access)
    for declared, secret in zip(topology.secrets, stack.secrets, strict=True):
        if declared.name in access.secrets:
            secret.grant_read(role)
    if access.publishes:
        _grant_put_events(stack, role)
    if access.user_pool:
        role.add_to_policy(
            iam.PolicyStatement(
                actions=list(USER_POOL_ADMIN_ACTIONS),
                resources=[stack.platform.user_pool_arn],
            )
        )
    if access.sends_mail:
        _grant_send_mail(stack, role)
    _acknowledge_function(stack, created, access)
    return created


def _grant_key(stack: ServiceStack, role: iam.Role) -> None:
    role.add_to_policy(
        iam.PolicyStatement(actions=list(KMS_DATA_ACTIONS), resources=[stack.key.key_arn])
    )


def _grant_data(stack: ServiceStack, role: iam.Role, access: Access) -> None:
    """The declared tables (and their indexes) and buckets of this service, read or
    read-write."""
    for declared_table in access.tables:
        table = stack.resources.tables[declared_table.table]
        role.add_to_policy(
            iam.PolicyStatement(
                actions=list(
                    DYNAMODB_READ if declared_table.mode == "read" else DYNAMODB_READ_WRITE
                ),
                resources=[table.table_arn, f"{table.table_arn}/index/*"],
            )
        )
    for declared_bucket in access.buckets:
        bucket = stack.buckets[declared_bucket.bucket]
        role.add_to_policy(
            iam.PolicyStatement(actions=["s3:ListBucket"], resources=[bucket.bucket_arn])
        )
        role.add_to_policy(
            iam.PolicyStatement(
                actions=list(
                    S3_OBJECT_READ if declared_bucket.mode == "read" else S3_OBJECT_READ_WRITE
                ),
                resources=[bucket.arn_for_objects("*")],
            )
        )


def _grant_send_mail(stack: ServiceStack, role: iam.Role) -> None:
    """Mail from the platform's sender, and with the service's configuration set (SES
    checks both identities) when it declares mail events."""
    role.add_to_policy(
        iam.PolicyStatement(
            actions=["ses:SendEmail"],
            resources=[stack.platform.mail_identity_arn],
            conditions={"StringEquals": {"ses:FromAddress": stack.platform.mail_sender}},
        )
    )
    configuration_set = stack.topology.mail_configuration_set(stack.stage_config.name)
    if configuration_set is not None:
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["ses:SendEmail"],
                resources=[
                    f"arn:{stack.partition}:ses:{stack.region}:{stack.account}:"
                    f"configuration-set/{configuration_set}"
                ],
            )
        )


def grant_send(stack: ServiceStack, queue: sqs.IQueue, name: str) -> None:
    """The functions whose access names the queue `name` may send to it."""
    for declared in stack.topology.functions:
        if name in declared.access.sends_to:
            role = stack.resources.functions[declared.name].role
            assert role is not None
            role.add_to_principal_policy(
                iam.PolicyStatement(actions=list(QUEUE_SEND_ACTIONS), resources=[queue.queue_arn])
            )


def _grant_put_events(stack: ServiceStack, role: iam.Role) -> None:
    role.add_to_policy(
        iam.PolicyStatement(
            actions=["events:PutEvents"],
            resources=[stack.platform.event_bus.event_bus_arn],
            conditions={"StringEquals": {"events:source": [source_for(stack.topology.service)]}},
        )
    )


def _acknowledge_function(stack: ServiceStack, created: lambda_.Function, access: Access) -> None:
    policy = role_policy(created)
    acknowledge(
        policy,
        "AwsSolutions-IAM5[Resource::*]",
        "X-Ray PutTraceSegments/PutTelemetryRecords accept no resource but `*`.",
    )
    for declared_table in access.tables:
        table = stack.resources.tables[declared_table.table]
        acknowledge(
            policy,
            f"AwsSolutions-IAM5[Resource::<{logical_id(table)}.Arn>/index/*]",
            "Queries on the indexes of the service's own table.",
        )
    for declared_bucket in access.buckets:
        bucket = stack.buckets[declared_bucket.bucket]
        acknowledge(
            policy,
            f"AwsSolutions-IAM5[Resource::<{logical_id(bucket)}.Arn>/*]",
            "Objects in the service's own bucket.",
        )
    acknowledge(
        created,
        "Serverless-LambdaDLQ",
        "Invoked synchronously (HTTP or REST API) or by event source mappings, whose failures "
        "go to the SQS DLQs / on-failure destinations declared here, never async.",
    )
