"""What every section of a service stack shares: the platform it is told about, the
constants of its IAM and queues, and the handles the observability stack reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigw_v1
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from constructs import IConstruct

from common.topology import Subscription
from infra.shape.resources import PlatformValues

if TYPE_CHECKING:
    from infra.cdk.service.stack import ServiceStack

DLQ_RETENTION = cdk.Duration.days(14)
RULE_RETRY_ATTEMPTS = 8
RULE_MAX_EVENT_AGE = cdk.Duration.hours(24)
QUEUE_SENDER_KEY_ACTIONS = ("kms:Decrypt", "kms:GenerateDataKey")
"""What a service principal needs on the key to send into a KMS-encrypted queue."""


@dataclass(frozen=True)
class PlatformRefs:
    """What a service stack is told about the platform stack (tokens at synth time)."""

    event_bus: events.IEventBus
    user_pool_id: str
    user_pool_arn: str
    spa_client_id: str
    mail_sender: str
    mail_identity_arn: str
    portal_url: str = ""

    def values(self, region: str) -> PlatformValues:
        issuer = f"https://cognito-idp.{region}.amazonaws.com/{self.user_pool_id}"
        return PlatformValues(
            event_bus_name=self.event_bus.event_bus_name,
            user_pool_id=self.user_pool_id,
            mail_sender=self.mail_sender,
            jwt_issuer=issuer,
            jwt_audience=self.spa_client_id,
            jwks_url=f"{issuer}/.well-known/jwks.json",
            portal_url=self.portal_url,
        )


def role_path(stage: str, service: str) -> str:
    """Every role of a service lives under this IAM path; the bus policy keys on it."""
    return f"/scts/{stage}/{service}/"


def allow_aws_service(key: kms.Key, *, sid: str, service: str, actions: Sequence[str]) -> None:
    """Let the AWS service principal `service` use `key`, for this account's resources only."""
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid=sid,
            principals=[iam.ServicePrincipal(service)],
            actions=list(actions),
            resources=["*"],
            conditions={"StringEquals": {"aws:SourceAccount": cdk.Stack.of(key).account}},
        )
    )


@dataclass
class SubscriptionResources:
    subscription: Subscription
    queue: sqs.Queue
    dead_letter_queue: sqs.Queue
    rule: events.Rule


@dataclass
class ServiceResources:
    """Handles the observability stack needs (names are deterministic anyway)."""

    functions: dict[str, lambda_.Function] = field(default_factory=dict)
    tables: dict[str, dynamodb.TableV2] = field(default_factory=dict)
    subscriptions: list[SubscriptionResources] = field(default_factory=list)
    dead_letter_queue_names: list[str] = field(default_factory=list)
    api: apigw.HttpApi | None = None
    ingest_api: apigw_v1.RestApi | None = None


def role_policy(function: lambda_.Function) -> IConstruct:
    """The inline policy CDK builds for the function's role: where IAM findings land."""
    assert function.role is not None  # every function gets its own role (`functions.function`)
    return function.role.node.find_child("DefaultPolicy")


_RETENTION_DAYS = {
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    90: logs.RetentionDays.THREE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
    731: logs.RetentionDays.TWO_YEARS,
    1827: logs.RetentionDays.FIVE_YEARS,
}


def retention(days: int) -> logs.RetentionDays:
    """The smallest supported retention that keeps logs at least `days`."""
    enough = [kept for kept in sorted(_RETENTION_DAYS) if kept >= days]
    return _RETENTION_DAYS[enough[0]] if enough else logs.RetentionDays.TEN_YEARS


def allow_log_groups(key: kms.Key, stack: cdk.Stack, *, sid: str) -> None:
    """CloudWatch Logs may encrypt this stack's account's log groups with `key`."""
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid=sid,
            principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
            actions=["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
            resources=["*"],
            conditions={
                "ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": (
                        f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:log-group:*"
                    )
                }
            },
        )
    )


def log_group(stack: ServiceStack, logical: str, name: str) -> logs.LogGroup:
    """A KMS-encrypted log group with the stage's retention."""
    return logs.LogGroup(
        stack,
        logical,
        log_group_name=name,
        retention=retention(stack.stage_config.log_retention_days),
        encryption_key=stack.key,
        removal_policy=stack.removal_policy,
    )
