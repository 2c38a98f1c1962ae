"""One CloudFormation stack per service, built only from its `ServiceTopology`.

Names, rule patterns, queue attributes and function environments come from the same
pure functions the local runtime uses (`infra.local.resources`), so the cloud and the
laptop create the same shape.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
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
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as sns_subscriptions
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct, IConstruct

from common.topology import (
    HTTP_API_URL_ENV,
    AuthKind,
    Bucket,
    BucketNotification,
    MailEvents,
    PlatformRef,
    QueueFed,
    Secret,
    SecretKind,
    ServiceTopology,
    Subscription,
    Table,
    UsagePlan,
    WorkQueue,
)
from contracts.envelope import source_for
from infra.browser import CorsPolicy, cors_policy
from infra.cdk import files
from infra.cdk.config import StageConfig
from infra.cdk.lambda_code import RUNTIME, LambdaCode
from infra.cdk.nag import acknowledge, logical_id
from infra.cdk.relay import RELAY_HANDLER, grant_marking, relay_event_source, relay_logical
from infra.cdk.waf import web_acl
from infra.local.resources import (
    INGEST_GATEWAY_RESPONSES,
    PlatformValues,
    bucket_name,
    bucket_notification_configuration,
    function_environment,
    mail_events_topic_name,
    rule_name,
    rule_pattern,
    usage_plan_environment,
    usage_plan_name,
)

DLQ_RETENTION = cdk.Duration.days(14)
RULE_RETRY_ATTEMPTS = 8
RULE_MAX_EVENT_AGE = cdk.Duration.hours(24)
INGEST_WAF_BODY_SIZE_RULE = "SizeRestrictions_BODY"
"""Common-rule-set rule that blocks bodies over 8 KB; ingest batches are up to 1 MB (the
service answers 413 above that), so on the ingest API it only counts."""
WAF_RATE_WINDOW_SECONDS = 300
IAM5_USAGE_KEY_FINDINGS = (
    "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:{region}::/apikeys/*]",
    "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:{region}::/usageplans/"
    "<{plan}>/keys/*]",
)
"""The key managers' DELETE rights (cleanup of a failed registration), one finding each."""
QUEUE_SENDER_KEY_ACTIONS = ("kms:Decrypt", "kms:GenerateDataKey")
"""What a service principal needs on the key to send into a KMS-encrypted queue."""
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


class ServiceStack(cdk.Stack):
    """Tables, buckets, functions, HTTP API, REST ingest API, subscriptions and outbox relay
    of a service."""

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
        self.ingest_api_url_output: cdk.CfnOutput | None = None
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
            account_id=self.account,
        )
        self.buckets = {bucket.name: self._bucket(bucket.name) for bucket in topology.buckets}
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
        if topology.http_routes:
            self.resources.api = self._http_api()
        if topology.ingest_routes:
            self.resources.ingest_api = self._ingest_api()
        if topology.subscriptions or topology.malware_scans:
            self.rule_dead_letter_queue = self._dead_letter_queue("rule-targets-dlq")
            self._allow_eventbridge(self.rule_dead_letter_queue)
            for subscription in topology.subscriptions:
                self.resources.subscriptions.append(self._subscription(subscription))
        self._files()
        notification_queues = {
            notification.name: self._bucket_notification(notification)
            for notification in topology.bucket_notifications
        }
        for bucket in topology.buckets:
            self._notification_configuration(bucket, notification_queues)
        for work_queue in topology.work_queues:
            self._work_queue(work_queue)
        if topology.mail_events is not None:
            self._mail_events(topology.mail_events)
        if self.resources.api is not None:
            # The function refers to the API's endpoint; the API itself does not refer to
            # the function (its integrations do), so there is no cycle.
            for declared in topology.functions:
                self.resources.functions[declared.name].add_environment(
                    HTTP_API_URL_ENV, self.resources.api.api_endpoint
                )
        for table in topology.tables:
            if table.outbox:
                self._outbox_relay(table)

    def _files(self) -> None:
        """Schedules, malware scans, claim checks and signed downloads (`infra.cdk.files`)."""
        for declared_schedule in self.topology.schedules:
            files.schedule(self, declared_schedule)
        for scan in self.topology.malware_scans:
            files.malware_scan(self, scan)
        for claim in self.topology.claim_checks:
            files.claim_check(self, claim)
        for downloads in self.topology.signed_downloads:
            files.signed_downloads(self, downloads)

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
        allow_aws_service(
            self.key,
            sid=f"AllowEventBridge{queue.node.id}",
            service="events.amazonaws.com",
            actions=QUEUE_SENDER_KEY_ACTIONS,
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

    def _bucket_name(self, logical: str) -> str:
        declared = next(b for b in self.topology.buckets if b.name == logical)
        return bucket_name(self.topology, self.stage_config.name, declared, self.account)

    def _bucket(self, logical: str) -> s3.Bucket:
        declared = next(b for b in self.topology.buckets if b.name == logical)
        bucket = s3.Bucket(
            self,
            f"Bucket-{logical}",
            bucket_name=self._bucket_name(logical),
            encryption=s3.BucketEncryption.KMS,
            encryption_key=self.key,
            bucket_key_enabled=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            lifecycle_rules=files.lifecycle_rules(declared) or None,
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
        log_group = self._log_group(f"Logs-{logical}", f"/aws/lambda/{name}")
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
            layers=[self.code.layer(self, self.topology.service)],
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
            for declared, secret in zip(self.topology.secrets, self.secrets, strict=True):
                if files.may_read_secret(self.topology, declared, logical):
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
        self._acknowledge_function(function)
        return function

    def _secret(self, declared: Secret) -> secretsmanager.ISecret:
        """A generated secret under /<stage>/scts/<name>, encrypted with the service key;
        an RSA key made by an operator is referenced by name instead."""
        if declared.kind is SecretKind.RSA_PRIVATE_KEY:
            return files.operator_secret(self, declared)
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
                conditions={"StringEquals": {"events:source": [source_for(self.topology.service)]}},
            )
        )

    def _acknowledge_function(self, function: lambda_.Function) -> None:
        policy = _role_policy(function)
        acknowledge(
            policy,
            "AwsSolutions-IAM5[Resource::*]",
            "X-Ray PutTraceSegments/PutTelemetryRecords accept no resource but `*`.",
        )
        for table in self.resources.tables.values():
            acknowledge(
                policy,
                f"AwsSolutions-IAM5[Resource::<{logical_id(table)}.Arn>/index/*]",
                "Queries on the indexes of the service's own table.",
            )
        for bucket in self.buckets.values():
            acknowledge(
                policy,
                f"AwsSolutions-IAM5[Resource::<{logical_id(bucket)}.Arn>/*]",
                "Objects in the service's own bucket.",
            )
        acknowledge(
            function,
            "Serverless-LambdaDLQ",
            "Invoked synchronously (HTTP or REST API) or by event source mappings, whose failures "
            "go to the SQS DLQs / on-failure destinations declared here, never async.",
        )

    def _log_group(self, logical: str, name: str) -> logs.LogGroup:
        """A KMS-encrypted log group with the stage's retention."""
        return logs.LogGroup(
            self,
            logical,
            log_group_name=name,
            retention=_retention(self.stage_config.log_retention_days),
            encryption_key=self.key,
            removal_policy=self.removal_policy,
        )

    # -- HTTP API -----------------------------------------------------------------------

    def _http_api(self) -> apigw.HttpApi:
        name = self.topology.resource_name(self.stage_config.name, "api")
        api = apigw.HttpApi(
            self,
            "HttpApi",
            api_name=name,
            create_default_stage=False,
            cors_preflight=_cors_preflight(
                cors_policy(self.topology, [self.stage_config.portal_url])
            ),
        )
        access_logs = self._log_group(
            "Logs-api-access", f"/scts/{self.stage_config.name}/{self.topology.service}/api-access"
        )
        apigw.HttpStage(
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
        integration_by_function: dict[str, integrations.HttpLambdaIntegration] = {}
        for route in self.topology.http_routes:
            integration = integration_by_function.setdefault(
                route.function,
                integrations.HttpLambdaIntegration(
                    f"Integration-{route.function}", self.resources.functions[route.function]
                ),
            )
            authorizer: apigw.IHttpRouteAuthorizer = (
                user_authorizer if route.auth is AuthKind.USER else apigw.HttpNoneAuthorizer()
            )
            routes = api.add_routes(
                path=route.path,
                methods=[apigw.HttpMethod(route.method)],
                integration=integration,
                authorizer=authorizer,
            )
            if route.auth is AuthKind.PUBLIC:
                for created in routes:
                    acknowledge(
                        created,
                        "AwsSolutions-APIG4",
                        f"{route.method} {route.path} is declared PUBLIC in the topology "
                        "(no credential).",
                    )
        self.api_url_output = cdk.CfnOutput(self, "ApiUrl", value=api.api_endpoint)
        return api

    # -- REST ingest API ----------------------------------------------------------------

    def _ingest_api(self) -> apigw_v1.RestApi:
        """The REST API serving the topology's ingest (publisher) routes, payload format 1.0.

        REST rather than HTTP API: a refused key must answer 401 (gateway responses; an HTTP
        API answers a Lambda-authorizer denial with 403), and only a REST stage carries a
        regional WAF web ACL and usage plans.
        """
        stage_name = self.stage_config.name
        name = self.topology.resource_name(stage_name, "ingest-api")
        assert self.topology.publisher_authorizer is not None  # the topology validator ensures it
        access_logs = self._log_group(
            "Logs-ingest-api-access",
            f"/scts/{stage_name}/{self.topology.service}/ingest-api-access",
        )
        plan = self.topology.publisher_usage_plan
        api = apigw_v1.RestApi(
            self,
            "IngestApi",
            rest_api_name=name,
            description=f"{self.topology.service}: publisher (API key) ingest routes.",
            endpoint_types=[apigw_v1.EndpointType.REGIONAL],
            # The account-level logging role is the platform stack's (one per account).
            cloud_watch_role=False,
            # Usage plan keys come from the authorizer's usageIdentifierKey, never a header.
            api_key_source_type=(
                apigw_v1.ApiKeySourceType.AUTHORIZER if plan else apigw_v1.ApiKeySourceType.HEADER
            ),
            deploy_options=apigw_v1.StageOptions(
                stage_name=stage_name,
                # The whole API's ceiling; each publisher's own throttle is the usage plan.
                throttling_rate_limit=self.stage_config.api_rate_limit,
                throttling_burst_limit=self.stage_config.api_burst_limit,
                access_log_destination=apigw_v1.LogGroupLogDestination(access_logs),
                access_log_format=_access_log_format(_INGEST_ACCESS_LOG_FIELDS),
                tracing_enabled=True,
                metrics_enabled=True,
                # Execution logs: errors only, never request/response data (bodies carry
                # publisher data; headers carry the API key).
                logging_level=apigw_v1.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,
            ),
        )
        execution_logs = self._log_group(
            # The name API Gateway writes execution logs to; created here so it is
            # KMS-encrypted and has a retention, instead of API Gateway's default group.
            "Logs-ingest-api-execution",
            f"API-Gateway-Execution-Logs_{api.rest_api_id}/{stage_name}",
        )
        api.deployment_stage.node.add_dependency(execution_logs)
        authorizer = apigw_v1.RequestAuthorizer(
            self,
            "PublisherApiKey",
            authorizer_name=f"{name}-publisher",
            handler=self.resources.functions[self.topology.publisher_authorizer],
            identity_sources=[apigw_v1.IdentitySource.header("x-api-key")],
            # No caching: a revoked or expired key must be refused on its very next request
            # (issue 5: "revoke (immediate)"); a cached Allow would stay valid for the TTL.
            results_cache_ttl=cdk.Duration.seconds(0),
        )
        for response_type, response in INGEST_GATEWAY_RESPONSES.items():
            api.add_gateway_response(
                f"Response-{response_type}",
                type=apigw_v1.ResponseType.of(response_type),
                status_code=str(response.status),
                templates={"application/json": response.template()},
                response_headers={name: f"'{value}'" for name, value in response.headers.items()},
            )
        integration_by_function: dict[str, apigw_v1.LambdaIntegration] = {}
        for route in self.topology.ingest_routes:
            integration = integration_by_function.setdefault(
                route.function,
                apigw_v1.LambdaIntegration(
                    self.resources.functions[route.function], allow_test_invoke=False
                ),
            )
            method = api.root.resource_for_path(route.path).add_method(
                route.method,
                integration,
                authorizer=authorizer,
                authorization_type=apigw_v1.AuthorizationType.CUSTOM,
                api_key_required=plan is not None,
            )
            acknowledge(
                method,
                "AwsSolutions-COG4",
                f"{route.method} {route.path} is a publisher route: a Lambda REQUEST "
                "authorizer checks the STX API key (x-api-key); publishers are not Cognito users.",
            )
        acknowledge(
            api,
            "AwsSolutions-APIG2",
            "Bodies are validated in the service, record by record (each record accepted, "
            "duplicate or rejected with field and reason); a gateway body model would refuse "
            "whole batches. Paths and the optional dry_run query need no gateway validation.",
        )
        acl = web_acl(
            self,
            "IngestWebAcl",
            name=name,
            waf_scope="REGIONAL",
            # Above what one publisher may send at its usage-plan throttle in the window.
            rate_limit_per_ip=max(
                self.stage_config.waf_rate_limit_per_ip,
                WAF_RATE_WINDOW_SECONDS * (plan.rate_limit if plan else 0),
            ),
            common_rules_count_only=(INGEST_WAF_BODY_SIZE_RULE,),
        )
        wafv2.CfnWebACLAssociation(
            self,
            "IngestWebAclAssociation",
            resource_arn=api.deployment_stage.stage_arn,
            web_acl_arn=acl.attr_arn,
        ).node.add_dependency(api.deployment_stage)
        if plan is not None:
            self._publisher_usage_plan(api, plan)
        api.node.try_remove_child("Endpoint")  # CDK's hashed-id output; this one is named
        self.ingest_api_url_output = cdk.CfnOutput(self, "IngestApiUrl", value=api.url)
        return api

    def _publisher_usage_plan(self, api: apigw_v1.RestApi, plan: UsagePlan) -> None:
        """Each publisher's own throttle: a usage plan on the ingest stage, whose API keys the
        key managers create (one per publisher) and may delete again (failed registration)."""
        usage_plan = api.add_usage_plan(
            "PublisherUsagePlan",
            name=usage_plan_name(self.topology, self.stage_config.name),
            description=f"{self.topology.service}: each publisher's throttle on the ingest API.",
            throttle=apigw_v1.ThrottleSettings(
                rate_limit=plan.rate_limit, burst_limit=plan.burst_limit
            ),
            api_stages=[apigw_v1.UsagePlanPerApiStage(api=api, stage=api.deployment_stage)],
        )
        api_keys = f"arn:{self.partition}:apigateway:{self.region}::/apikeys"
        region = "<AWS::Region>" if cdk.Token.is_unresolved(self.region) else self.region
        plan_keys = (
            f"arn:{self.partition}:apigateway:{self.region}::/usageplans/"
            f"{usage_plan.usage_plan_id}/keys"
        )
        for manager in plan.key_managers:
            function = self.resources.functions[manager]
            for name, value in usage_plan_environment(
                self.topology, manager, usage_plan.usage_plan_id
            ).items():
                function.add_environment(name, value)
            function.add_to_role_policy(
                iam.PolicyStatement(
                    actions=["apigateway:POST"],
                    resources=[api_keys, plan_keys],
                )
            )
            function.add_to_role_policy(
                iam.PolicyStatement(
                    actions=["apigateway:DELETE"], resources=[f"{api_keys}/*", f"{plan_keys}/*"]
                )
            )
            for finding in IAM5_USAGE_KEY_FINDINGS:
                acknowledge(
                    _role_policy(function),
                    finding.format(region=region, plan=logical_id(usage_plan)),
                    "Deletes the API key it has just created (and its plan membership) when "
                    "storing the new publisher fails; API Gateway generates key ids, so no "
                    "narrower ARN exists in advance.",
                )

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

    def _bucket_notification(self, notification: BucketNotification) -> sqs.Queue:
        """Objects created under the prefix -> queue (+DLQ) -> function (partial failures).

        The queue policy names the bucket by its ARN string, not a reference, so the bucket
        can depend on it: S3 checks it may send when configured.
        """
        queue, _ = self._consumer_queue(notification)
        bucket_arn = f"arn:{self.partition}:s3:::{self._bucket_name(notification.bucket)}"
        queue.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowBucketNotification",
                principals=[iam.ServicePrincipal("s3.amazonaws.com")],
                actions=["sqs:SendMessage"],
                resources=[queue.queue_arn],
                conditions={
                    "ArnEquals": {"aws:SourceArn": bucket_arn},
                    "StringEquals": {"aws:SourceAccount": self.account},
                },
            )
        )
        allow_aws_service(
            self.key,
            sid=f"AllowS3Notification{queue.node.id}",
            service="s3.amazonaws.com",
            actions=QUEUE_SENDER_KEY_ACTIONS,
        )
        self._consume(queue, notification.function, notification.batch_size)
        return queue

    def _notification_configuration(self, bucket: Bucket, queues: dict[str, sqs.Queue]) -> None:
        """The bucket's whole NotificationConfiguration, from the function the local runtime
        uses, on the bucket itself (not CDK's custom resource, which adds an unmanaged
        Lambda); the bucket depends on each queue (and its policy)."""
        declared = bucket_notification_configuration(
            self.topology, bucket, {name: queue.queue_arn for name, queue in queues.items()}
        )
        if not declared["QueueConfigurations"]:
            return
        cfn_bucket = self.buckets[bucket.name].node.default_child
        assert isinstance(cfn_bucket, s3.CfnBucket)
        cfn_bucket.notification_configuration = s3.CfnBucket.NotificationConfigurationProperty(
            queue_configurations=[
                s3.CfnBucket.QueueConfigurationProperty(
                    event=event,
                    queue=configuration["QueueArn"],
                    filter=s3.CfnBucket.NotificationFilterProperty(
                        s3_key=s3.CfnBucket.S3KeyFilterProperty(
                            rules=[
                                s3.CfnBucket.FilterRuleProperty(
                                    name=rule["Name"], value=rule["Value"]
                                )
                                for rule in configuration["Filter"]["Key"]["FilterRules"]
                            ]
                        )
                    ),
                )
                for configuration in declared["QueueConfigurations"]
                for event in configuration["Events"]
            ]
        )
        for notification in self.topology.bucket_notifications:
            if notification.bucket == bucket.name:
                cfn_bucket.node.add_dependency(queues[notification.name])

    def _consumer_queue(self, consumer: QueueFed) -> tuple[sqs.Queue, sqs.Queue]:
        """A consumer's KMS queue and its DLQ (after the declared receives)."""
        dead_letter_queue = self._dead_letter_queue(f"{consumer.name}-dlq")
        queue = sqs.Queue(
            self,
            f"Queue-{consumer.name}",
            queue_name=self.topology.queue_name(self.stage_config.name, consumer),
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=self.key,
            enforce_ssl=True,
            visibility_timeout=cdk.Duration.seconds(self.topology.visibility_timeout(consumer)),
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=dead_letter_queue, max_receive_count=consumer.max_receives
            ),
            removal_policy=self.removal_policy,
        )
        return queue, dead_letter_queue

    def _consume(self, queue: sqs.Queue, function_name: str, batch_size: int) -> None:
        """The function reads the queue, reporting failed items (they retry, then go to the DLQ)."""
        function = self.resources.functions[function_name]
        before = set(function.node.children)
        function.add_event_source(
            sources.SqsEventSource(queue, batch_size=batch_size, report_batch_item_failures=True)
        )
        for mapping in set(function.node.children) - before:
            if isinstance(mapping, lambda_.EventSourceMapping):
                acknowledge(
                    mapping,
                    "Serverless-LambdaEventSourceMappingDestination",
                    "SQS mappings take no on-failure destination; the queue's redrive policy "
                    "moves a message to its DLQ after the declared receives.",
                )

    def _subscription(self, subscription: Subscription) -> SubscriptionResources:
        stage = self.stage_config.name
        queue, dead_letter_queue = self._consumer_queue(subscription)
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
        self._consume(queue, subscription.function, subscription.batch_size)
        return SubscriptionResources(subscription, queue, dead_letter_queue, rule)

    def _declared_roles(self) -> list[iam.IRole]:
        roles = [self.resources.functions[f.name].role for f in self.topology.functions]
        return [role for role in roles if role is not None]

    def _work_queue(self, declared: WorkQueue) -> None:
        """A pipeline stage: queue (+DLQ) -> its function; every function may send to it."""
        queue, _ = self._consumer_queue(declared)
        for role in self._declared_roles():
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=["sqs:SendMessage", "sqs:GetQueueUrl"], resources=[queue.queue_arn]
                )
            )
        self._consume(queue, declared.function, declared.batch_size)

    def _mail_events(self, declared: MailEvents) -> None:
        """SES configuration set -> SNS topic (KMS) -> queue (+DLQ, raw) -> function; the
        service's functions may send mail with the configuration set."""
        stage = self.stage_config.name
        configuration_set_name = self.topology.mail_configuration_set(stage)
        assert configuration_set_name is not None
        topic = sns.Topic(
            self,
            f"Topic-{declared.name}",
            topic_name=mail_events_topic_name(self.topology, stage, declared),
            master_key=self.key,
            enforce_ssl=True,
        )
        configuration_set = ses.ConfigurationSet(
            self,
            f"MailConfigurationSet-{declared.name}",
            configuration_set_name=configuration_set_name,
        )
        configuration_set_arn = (
            f"arn:{self.partition}:ses:{self.region}:{self.account}:"
            f"configuration-set/{configuration_set_name}"
        )
        topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowSesEvents",
                principals=[iam.ServicePrincipal("ses.amazonaws.com")],
                actions=["sns:Publish"],
                resources=[topic.topic_arn],
                conditions={
                    "StringEquals": {"AWS:SourceAccount": self.account},
                    "ArnLike": {"AWS:SourceArn": configuration_set_arn},
                },
            )
        )
        for service, sid in (
            ("ses.amazonaws.com", "AllowSesTopic"),
            ("sns.amazonaws.com", "AllowSnsQueues"),
        ):
            allow_aws_service(self.key, sid=sid, service=service, actions=QUEUE_SENDER_KEY_ACTIONS)
        ses.ConfigurationSetEventDestination(
            self,
            f"MailEventDestination-{declared.name}",
            configuration_set=configuration_set,
            configuration_set_event_destination_name="sns",
            destination=ses.EventDestination.sns_topic(topic),
            events=[getattr(ses.EmailSendingEvent, kind) for kind in declared.events],
        )
        queue, _ = self._consumer_queue(declared)
        topic.add_subscription(
            sns_subscriptions.SqsSubscription(
                queue,
                raw_message_delivery=True,
                dead_letter_queue=self._dead_letter_queue(f"{declared.name}-topic-dlq"),
            )
        )
        for role in self._declared_roles():
            role.add_to_principal_policy(
                iam.PolicyStatement(actions=["ses:SendEmail"], resources=[configuration_set_arn])
            )
        self._consume(queue, declared.function, declared.batch_size)

    def _outbox_relay(self, table: Table) -> None:
        """DynamoDB stream -> relay function -> bus (`infra.cdk.relay`: retries until the
        event is on the bus or too old, then metadata to the relay DLQ)."""
        logical = relay_logical(table)
        relay = self._function(
            logical,
            handler=RELAY_HANDLER,
            timeout_seconds=30,
            memory_mb=256,
            reserved_concurrency=None,
            environment={
                "SCTS_SERVICE_NAME": self.topology.service,
                "SCTS_STAGE": self.stage_config.name,
                **self.platform.values(self.region).for_ref(PlatformRef.EVENT_BUS),
            },
            may_publish=True,
            data_access=False,
        )
        self.resources.functions[logical] = relay
        dead_letter_queue = self._dead_letter_queue(f"{logical}-dlq")
        for wildcard in ("kms:ReEncrypt*", "kms:GenerateDataKey*"):
            acknowledge(
                _role_policy(relay),
                f"AwsSolutions-IAM5[Action::{wildcard}]",
                "CDK's send grant for the on-failure DLQ, on this service's own key only.",
            )
        assert relay.role is not None
        grant_marking(relay.role, self.resources.tables[table.name])
        relay.add_event_source(
            relay_event_source(self.resources.tables[table.name], dead_letter_queue)
        )


def _role_policy(function: lambda_.Function) -> IConstruct:
    """The inline policy CDK builds for the function's role: where IAM findings land."""
    assert function.role is not None  # every function gets its own role in `_function`
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


def _cors_preflight(policy: CorsPolicy) -> apigw.CorsPreflightOptions:
    """The HTTP API's CORS configuration from the policy the local gateway plays too."""
    return apigw.CorsPreflightOptions(
        allow_origins=list(policy.allow_origins),
        allow_methods=[apigw.CorsHttpMethod(method) for method in policy.allow_methods],
        allow_headers=list(policy.allow_headers),
        expose_headers=list(policy.expose_headers),
        max_age=cdk.Duration.seconds(policy.max_age_seconds),
    )


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
        return _access_log_format(_ACCESS_LOG_FIELDS)


def _access_log_format(fields: dict[str, str]) -> apigw_v1.AccessLogFormat:
    """One JSON object per request; only $context values, never headers or bodies."""
    return apigw_v1.AccessLogFormat.custom(json.dumps(fields))


_COMMON_ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "status": "$context.status",
    "latencyMs": "$context.responseLatency",
    "integrationError": "$context.integrationErrorMessage",
    "authorizerError": "$context.authorizer.error",
}
_ACCESS_LOG_FIELDS = {**_COMMON_ACCESS_LOG_FIELDS, "routeKey": "$context.routeKey"}
_INGEST_ACCESS_LOG_FIELDS = {
    **_COMMON_ACCESS_LOG_FIELDS,
    "method": "$context.httpMethod",
    "resourcePath": "$context.resourcePath",
    "responseType": "$context.error.responseType",
    "principal": "$context.authorizer.principalId",
    "authorizerStatus": "$context.authorizer.status",
    "wafStatus": "$context.wafResponseCode",
}
