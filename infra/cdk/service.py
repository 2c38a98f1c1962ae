"""One CloudFormation stack per service, built only from its `ServiceTopology`.

Names, rule patterns, queue attributes and function environments come from the same
pure functions the local runtime uses (`infra.local.resources`), so the cloud and the
laptop create the same shape.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import aws_cdk as cdk
import jsii
from aws_cdk import aws_apigateway as apigw_v1
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from common.topology import (
    AuthKind,
    PlatformRef,
    Secret,
    ServiceTopology,
    Subscription,
    Table,
)
from infra.cdk.config import StageConfig
from infra.cdk.lambda_code import RUNTIME, LambdaCode
from infra.cdk.nag import acknowledge
from infra.local.resources import PlatformValues, function_environment, rule_name, rule_pattern

RELAY_HANDLER = "common.relay_handler.handler"
DLQ_RETENTION = cdk.Duration.days(14)
RULE_RETRY_ATTEMPTS = 8
RULE_MAX_EVENT_AGE = cdk.Duration.hours(24)
RELAY_RETRY_ATTEMPTS = 5
RELAY_BATCH_SIZE = 100
KMS_DATA_ACTIONS = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey")
DYNAMODB_READ_WRITE = (
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:UpdateItem",
)
S3_OBJECT_READ_WRITE = ("s3:GetObject", "s3:PutObject", "s3:DeleteObject")
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


@dataclass(frozen=True)
class PlatformRefs:
    """What a service stack is told about the platform stack (tokens at synth time)."""

    event_bus: events.IEventBus
    user_pool_id: str
    user_pool_arn: str
    spa_client_id: str
    mail_sender: str
    mail_identity_arn: str

    def values(self, region: str) -> PlatformValues:
        issuer = f"https://cognito-idp.{region}.amazonaws.com/{self.user_pool_id}"
        return PlatformValues(
            event_bus_name=self.event_bus.event_bus_name,
            user_pool_id=self.user_pool_id,
            mail_sender=self.mail_sender,
            jwt_issuer=issuer,
            jwt_audience=self.spa_client_id,
            jwks_url=f"{issuer}/.well-known/jwks.json",
        )


def role_path(stage: str, service: str) -> str:
    """Every role of a service lives under this IAM path; the bus policy keys on it."""
    return f"/scts/{stage}/{service}/"


def event_source(service: str) -> str:
    return f"scts.{service}"


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


class ServiceStack(cdk.Stack):
    """Tables, buckets, functions, HTTP API, subscriptions and outbox relay of a service."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        topology: ServiceTopology,
        stage: StageConfig,
        platform: PlatformRefs,
        code: LambdaCode,
        version: str,
        git_commit: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.topology = topology
        self.stage_config = stage
        self.platform = platform
        self.code = code
        self.resources = ServiceResources()
        self.api_url_output: cdk.CfnOutput | None = None
        self.removal_policy = (
            cdk.RemovalPolicy.RETAIN if stage.production else cdk.RemovalPolicy.DESTROY
        )
        cdk.Tags.of(self).add("scts:service", topology.service)

        self.key = self._key()
        self.function_env = function_environment(
            topology,
            stage.name,
            platform.values(self.region),
            version=version,
            git_commit=git_commit,
        )
        self.buckets = {bucket.name: self._bucket(bucket.name) for bucket in topology.buckets}
        for bucket in topology.buckets:
            self.function_env[bucket.env_var] = self.buckets[bucket.name].bucket_name
        for table in topology.tables:
            self.resources.tables[table.name] = self._table(table)
        self.secrets = [self._secret(secret) for secret in topology.secrets]
        for declared in topology.functions:
            self.resources.functions[declared.name] = self._function(
                declared.name,
                handler=declared.handler,
                timeout_seconds=declared.timeout_seconds,
                memory_mb=declared.memory_mb,
                reserved_concurrency=declared.reserved_concurrency,
                environment=self.function_env,
                may_publish=PlatformRef.EVENT_BUS in topology.platform,
            )
        if topology.routes:
            self.resources.api = self._http_api()
        if topology.subscriptions:
            self.rule_dead_letter_queue = self._dead_letter_queue("events-dlq")
            self._allow_eventbridge(self.rule_dead_letter_queue)
            for subscription in topology.subscriptions:
                self.resources.subscriptions.append(self._subscription(subscription))
        for table in topology.tables:
            if table.outbox:
                self._outbox_relay(table)

    # -- encryption ---------------------------------------------------------------------

    def _key(self) -> kms.Key:
        key = kms.Key(
            self,
            "Key",
            alias=f"alias/{self.topology.resource_name(self.stage_config.name, 'key')}",
            description=f"Encrypts the {self.topology.service} service's data, queues and logs.",
            enable_key_rotation=True,
            removal_policy=self.removal_policy,
        )
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowServiceLogGroups",
                principals=[iam.ServicePrincipal(f"logs.{self.region}.amazonaws.com")],
                actions=["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
                resources=["*"],
                conditions={
                    "ArnLike": {
                        "kms:EncryptionContext:aws:logs:arn": (
                            f"arn:{self.partition}:logs:{self.region}:{self.account}:log-group:*"
                        )
                    }
                },
            )
        )
        return key

    def _allow_eventbridge(self, queue: sqs.Queue) -> None:
        """EventBridge must encrypt into the KMS-protected queue (rule target or DLQ)."""
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid=f"AllowEventBridge{queue.node.id}",
                principals=[iam.ServicePrincipal("events.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey"],
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": self.account}},
            )
        )

    # -- data ---------------------------------------------------------------------------

    def _table(self, table: Table) -> dynamodb.TableV2:
        def attribute(name: str) -> dynamodb.Attribute:
            return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)

        return dynamodb.TableV2(
            self,
            f"Table-{table.name}",
            table_name=self.topology.resource_name(self.stage_config.name, table.name),
            partition_key=attribute(table.partition_key),
            sort_key=attribute(table.sort_key) if table.sort_key else None,
            billing=dynamodb.Billing.on_demand(),
            encryption=dynamodb.TableEncryptionV2.customer_managed_key(self.key),
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=self.stage_config.production,
            dynamo_stream=dynamodb.StreamViewType.NEW_IMAGE if table.stream else None,
            time_to_live_attribute=table.ttl_attribute,
            global_secondary_indexes=[
                dynamodb.GlobalSecondaryIndexPropsV2(
                    index_name=index.name,
                    partition_key=attribute(index.partition_key),
                    sort_key=attribute(index.sort_key) if index.sort_key else None,
                )
                for index in table.indexes
            ],
            removal_policy=self.removal_policy,
        )

    def _bucket(self, logical: str) -> s3.Bucket:
        bucket = s3.Bucket(
            self,
            f"Bucket-{logical}",
            bucket_name=(
                f"{self.topology.resource_name(self.stage_config.name, logical)}-{self.account}"
            ),
            encryption=s3.BucketEncryption.KMS,
            encryption_key=self.key,
            bucket_key_enabled=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        acknowledge(
            bucket,
            "AwsSolutions-S1",
            "Data-plane access is recorded by CloudTrail data events in the organisation "
            "trail; per-bucket server access logs would duplicate them.",
        )
        return bucket

    # -- compute ------------------------------------------------------------------------

    def _function(
        self,
        logical: str,
        *,
        handler: str,
        timeout_seconds: int,
        memory_mb: int,
        reserved_concurrency: int | None,
        environment: dict[str, str],
        may_publish: bool,
        data_access: bool = True,
    ) -> lambda_.Function:
        name = self.topology.resource_name(self.stage_config.name, logical)
        log_group = logs.LogGroup(
            self,
            f"Logs-{logical}",
            log_group_name=f"/aws/lambda/{name}",
            retention=_retention(self.stage_config.log_retention_days),
            encryption_key=self.key,
            removal_policy=self.removal_policy,
        )
        role = iam.Role(
            self,
            f"Role-{logical}",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            path=role_path(self.stage_config.name, self.topology.service),
            description=f"{name}: only the {self.topology.service} service's own resources.",
        )
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[log_group.log_group_arn],
            )
        )
        function = lambda_.Function(
            self,
            f"Function-{logical}",
            function_name=name,
            runtime=RUNTIME,
            architecture=lambda_.Architecture.ARM_64,
            handler=handler,
            code=self.code.code(),
            layers=[self.code.layer(self)],
            timeout=cdk.Duration.seconds(timeout_seconds),
            memory_size=memory_mb,
            reserved_concurrent_executions=reserved_concurrency,
            role=role,
            tracing=lambda_.Tracing.ACTIVE,
            log_group=log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            system_log_level_v2=lambda_.SystemLogLevel.WARN,
            application_log_level_v2=lambda_.ApplicationLogLevel.INFO,
            environment={
                **environment,
                "POWERTOOLS_SERVICE_NAME": self.topology.service,
                "POWERTOOLS_METRICS_NAMESPACE": "SCTS",
            },
            environment_encryption=self.key,
        )
        self._grant_key(role)
        if data_access:
            self._grant_data(role)
            for secret in self.secrets:
                secret.grant_read(role)
        if may_publish:
            self._grant_put_events(role)
        if PlatformRef.USER_POOL in self.topology.platform:
            role.add_to_policy(
                iam.PolicyStatement(
                    actions=list(USER_POOL_ADMIN_ACTIONS),
                    resources=[self.platform.user_pool_arn],
                )
            )
        if PlatformRef.MAIL_SENDER in self.topology.platform:
            role.add_to_policy(
                iam.PolicyStatement(
                    actions=["ses:SendEmail"],
                    resources=[self.platform.mail_identity_arn],
                    conditions={"StringEquals": {"ses:FromAddress": self.platform.mail_sender}},
                )
            )
        self._acknowledge_function(function, role)
        return function

    def _secret(self, declared: Secret) -> secretsmanager.Secret:
        """A generated secret under /<stage>/scts/<name>, encrypted with the service key."""
        secret = secretsmanager.Secret(
            self,
            f"Secret-{declared.name}",
            secret_name=declared.secret_id(self.stage_config.name),
            description=declared.description,
            encryption_key=self.key,
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=64, exclude_punctuation=True
            ),
            removal_policy=self.removal_policy,
        )
        acknowledge(
            secret,
            "AwsSolutions-SMG4",
            "A generated HMAC key read at cold start; rotating it is an operator action "
            "(it invalidates outstanding signed values), so no rotation Lambda is attached.",
        )
        return secret

    def _grant_key(self, role: iam.Role) -> None:
        role.add_to_policy(
            iam.PolicyStatement(actions=list(KMS_DATA_ACTIONS), resources=[self.key.key_arn])
        )

    def _grant_data(self, role: iam.Role) -> None:
        """Read/write on this service's own tables (and their indexes) and buckets only."""
        for table in self.resources.tables.values():
            role.add_to_policy(
                iam.PolicyStatement(
                    actions=list(DYNAMODB_READ_WRITE),
                    resources=[table.table_arn, f"{table.table_arn}/index/*"],
                )
            )
        for bucket in self.buckets.values():
            role.add_to_policy(
                iam.PolicyStatement(actions=["s3:ListBucket"], resources=[bucket.bucket_arn])
            )
            role.add_to_policy(
                iam.PolicyStatement(
                    actions=list(S3_OBJECT_READ_WRITE), resources=[bucket.arn_for_objects("*")]
                )
            )

    def _grant_put_events(self, role: iam.Role) -> None:
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["events:PutEvents"],
                resources=[self.platform.event_bus.event_bus_arn],
                conditions={
                    "StringEquals": {"events:source": [event_source(self.topology.service)]}
                },
            )
        )

    def _acknowledge_function(self, function: lambda_.Function, role: iam.Role) -> None:
        policy = role.node.find_child("DefaultPolicy")
        acknowledge(
            policy,
            "AwsSolutions-IAM5[Resource::*]",
            "X-Ray PutTraceSegments/PutTelemetryRecords accept no resource but `*`.",
        )
        for table in self.resources.tables.values():
            acknowledge(
                policy,
                f"AwsSolutions-IAM5[Resource::<{self.logical_id_of(table)}.Arn>/index/*]",
                "Queries on the indexes of the service's own table.",
            )
        for bucket in self.buckets.values():
            acknowledge(
                policy,
                f"AwsSolutions-IAM5[Resource::<{self.logical_id_of(bucket)}.Arn>/*]",
                "Objects in the service's own bucket.",
            )
        acknowledge(
            function,
            "Serverless-LambdaDLQ",
            "Invoked synchronously (HTTP API) or by event source mappings, whose failures "
            "go to the SQS DLQs / on-failure destinations declared here, never async.",
        )

    def logical_id_of(self, construct: Construct) -> str:
        child = construct.node.default_child
        assert isinstance(child, cdk.CfnElement)
        return str(self.resolve(self.get_logical_id(child)))

    # -- HTTP API -----------------------------------------------------------------------

    def _http_api(self) -> apigw.HttpApi:
        name = self.topology.resource_name(self.stage_config.name, "api")
        api = apigw.HttpApi(self, "HttpApi", api_name=name, create_default_stage=False)
        access_logs = logs.LogGroup(
            self,
            "Logs-api-access",
            log_group_name=f"/scts/{self.stage_config.name}/{self.topology.service}/api-access",
            retention=_retention(self.stage_config.log_retention_days),
            encryption_key=self.key,
            removal_policy=self.removal_policy,
        )
        stage = apigw.HttpStage(
            self,
            "HttpStage",
            http_api=api,
            stage_name="$default",
            auto_deploy=True,
            detailed_metrics_enabled=True,
            throttle=apigw.ThrottleSettings(
                rate_limit=self.stage_config.api_rate_limit,
                burst_limit=self.stage_config.api_burst_limit,
            ),
            access_log_settings=_AccessLogSettings(apigw.LogGroupLogDestination(access_logs)),
        )
        user_authorizer = authorizers.HttpJwtAuthorizer(
            "UserJwt",
            self.platform.values(self.region).jwt_issuer,
            jwt_audience=[self.platform.spa_client_id],
            authorizer_name=f"{name}-user-jwt",
        )
        publisher_authorizer: authorizers.HttpLambdaAuthorizer | None = None
        if self.topology.publisher_authorizer:
            publisher_authorizer = authorizers.HttpLambdaAuthorizer(
                "PublisherApiKey",
                self.resources.functions[self.topology.publisher_authorizer],
                authorizer_name=f"{name}-publisher",
                identity_source=["$request.header.x-api-key"],
                response_types=[authorizers.HttpLambdaResponseType.SIMPLE],
                results_cache_ttl=cdk.Duration.minutes(5),
            )
        integration_by_function: dict[str, integrations.HttpLambdaIntegration] = {}
        publisher_route_settings: dict[str, Any] = {}
        for route in self.topology.routes:
            integration = integration_by_function.setdefault(
                route.function,
                integrations.HttpLambdaIntegration(
                    f"Integration-{route.function}", self.resources.functions[route.function]
                ),
            )
            authorizer: apigw.IHttpRouteAuthorizer
            if route.auth is AuthKind.USER:
                authorizer = user_authorizer
            elif route.auth is AuthKind.PUBLISHER:
                assert publisher_authorizer is not None  # the topology validator ensures it
                authorizer = publisher_authorizer
            else:
                authorizer = apigw.HttpNoneAuthorizer()
            routes = api.add_routes(
                path=route.path,
                methods=[apigw.HttpMethod(route.method)],
                integration=integration,
                authorizer=authorizer,
            )
            route_key = f"{route.method} {route.path}"
            if route.auth is AuthKind.PUBLIC:
                for created in routes:
                    acknowledge(
                        created,
                        "AwsSolutions-APIG4",
                        f"{route_key} is declared PUBLIC in the topology (no credential).",
                    )
            if route.auth is AuthKind.PUBLISHER:
                publisher_route_settings[route_key] = {
                    "ThrottlingRateLimit": self.stage_config.publisher_rate_limit,
                    "ThrottlingBurstLimit": 2 * self.stage_config.publisher_rate_limit,
                }
        if publisher_route_settings:
            cfn_stage = stage.node.default_child
            assert isinstance(cfn_stage, apigw.CfnStage)
            cfn_stage.route_settings = publisher_route_settings
        self.api_url_output = cdk.CfnOutput(self, "ApiUrl", value=api.api_endpoint)
        return api

    # -- events -------------------------------------------------------------------------

    def _dead_letter_queue(self, logical: str) -> sqs.Queue:
        name = self.topology.resource_name(self.stage_config.name, logical)
        queue = sqs.Queue(
            self,
            f"Queue-{logical}",
            queue_name=name,
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=self.key,
            enforce_ssl=True,
            retention_period=DLQ_RETENTION,
            removal_policy=self.removal_policy,
        )
        acknowledge(queue, "AwsSolutions-SQS3", "This queue is itself a dead-letter queue.")
        acknowledge(
            queue, "Serverless-SQSRedrivePolicy", "This queue is itself a dead-letter queue."
        )
        self.resources.dead_letter_queue_names.append(name)
        return queue

    def _subscription(self, subscription: Subscription) -> SubscriptionResources:
        stage = self.stage_config.name
        dead_letter_queue = self._dead_letter_queue(f"{subscription.name}-dlq")
        queue = sqs.Queue(
            self,
            f"Queue-{subscription.name}",
            queue_name=self.topology.queue_name(stage, subscription),
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=self.key,
            enforce_ssl=True,
            visibility_timeout=cdk.Duration.seconds(self.topology.visibility_timeout(subscription)),
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=dead_letter_queue, max_receive_count=subscription.max_receives
            ),
            removal_policy=self.removal_policy,
        )
        self._allow_eventbridge(queue)
        pattern = rule_pattern(subscription)
        rule = events.Rule(
            self,
            f"Rule-{subscription.name}",
            rule_name=rule_name(self.topology, stage, subscription),
            event_bus=self.platform.event_bus,
            event_pattern=events.EventPattern(
                source=pattern["source"], detail_type=pattern["detail-type"]
            ),
            targets=[
                targets.SqsQueue(
                    queue,
                    dead_letter_queue=self.rule_dead_letter_queue,
                    retry_attempts=RULE_RETRY_ATTEMPTS,
                    max_event_age=RULE_MAX_EVENT_AGE,
                )
            ],
        )
        function = self.resources.functions[subscription.function]
        function.add_event_source(
            sources.SqsEventSource(
                queue,
                batch_size=subscription.batch_size,
                report_batch_item_failures=True,
            )
        )
        for mapping in function.node.children:
            if isinstance(mapping, lambda_.EventSourceMapping):
                acknowledge(
                    mapping,
                    "Serverless-LambdaEventSourceMappingDestination",
                    "SQS mappings take no on-failure destination; the queue's redrive policy "
                    "moves a message to its DLQ after the declared receives.",
                )
        return SubscriptionResources(subscription, queue, dead_letter_queue, rule)

    def _outbox_relay(self, table: Table) -> None:
        """DynamoDB stream -> relay function -> bus; failed batches land in the relay DLQ."""
        logical = f"{table.name}-relay"
        relay = self._function(
            logical,
            handler=RELAY_HANDLER,
            timeout_seconds=30,
            memory_mb=256,
            reserved_concurrency=None,
            environment={
                "SCTS_SERVICE_NAME": self.topology.service,
                "SCTS_STAGE": self.stage_config.name,
                "SCTS_EVENT_BUS_NAME": self.platform.event_bus.event_bus_name,
            },
            may_publish=True,
            data_access=False,
        )
        self.resources.functions[logical] = relay
        dead_letter_queue = self._dead_letter_queue(f"{logical}-dlq")
        relay_policy = relay.role.node.find_child("DefaultPolicy") if relay.role else None
        for wildcard in ("kms:ReEncrypt*", "kms:GenerateDataKey*"):
            acknowledge(
                relay_policy or relay,
                f"AwsSolutions-IAM5[Action::{wildcard}]",
                "CDK's send grant for the on-failure DLQ, on this service's own key only.",
            )
        relay.add_event_source(
            sources.DynamoEventSource(
                self.resources.tables[table.name],
                starting_position=lambda_.StartingPosition.TRIM_HORIZON,
                batch_size=RELAY_BATCH_SIZE,
                bisect_batch_on_error=True,
                retry_attempts=RELAY_RETRY_ATTEMPTS,
                report_batch_item_failures=True,
                on_failure=sources.SqsDlq(dead_letter_queue),
            )
        )


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


def _retention(days: int) -> logs.RetentionDays:
    """The smallest supported retention that keeps logs at least `days`."""
    enough = [kept for kept in sorted(_RETENTION_DAYS) if kept >= days]
    return _RETENTION_DAYS[enough[0]] if enough else logs.RetentionDays.TEN_YEARS


@jsii.implements(apigw.IAccessLogSettings)
class _AccessLogSettings:
    """JSON access logs; no headers, so no credential can land in them."""

    def __init__(self, destination: apigw.IAccessLogDestination) -> None:
        self._destination = destination

    @property
    def destination(self) -> apigw.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigw_v1.AccessLogFormat:
        return apigw_v1.AccessLogFormat.custom(json.dumps(_ACCESS_LOG_FIELDS))


_ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "latencyMs": "$context.responseLatency",
    "integrationError": "$context.integrationErrorMessage",
    "authorizerError": "$context.authorizer.error",
}
