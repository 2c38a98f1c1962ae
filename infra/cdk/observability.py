"""Dashboards (one per service + an overview), alarms, and the on-call SNS topic."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from common.topology import Table
from infra.cdk.config import StageConfig
from infra.cdk.nag import acknowledge
from infra.cdk.relay import relay_alarm_metrics, relay_logical
from infra.cdk.service import QUEUE_SENDER_KEY_ACTIONS, ServiceStack, allow_aws_service

PERIOD = cdk.Duration.minutes(5)
BUSINESS_NAMESPACE = "SCTS"  # POWERTOOLS_METRICS_NAMESPACE of every function
STALE_PROJECTION_SECONDS = 15 * 60


class ObservabilityStack(cdk.Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: StageConfig,
        services: Sequence[ServiceStack],
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.stage_config = stage
        key = kms.Key(
            self,
            "Key",
            alias=f"alias/scts-{stage.name}-observability",
            description="Encrypts the on-call topic.",
            enable_key_rotation=True,
        )
        allow_aws_service(
            key,
            sid="AllowCloudWatchAlarms",
            service="cloudwatch.amazonaws.com",
            actions=("kms:Decrypt", "kms:GenerateDataKey*"),
        )
        self.topic = sns.Topic(
            self,
            "OnCall",
            topic_name=f"scts-{stage.name}-on-call",
            master_key=key,
            enforce_ssl=True,
        )
        self.dead_letter_queue_names: list[str] = []
        if stage.alarm_email:
            self.topic.add_subscription(
                subscriptions.EmailSubscription(
                    stage.alarm_email, dead_letter_queue=self._notification_dlq(key)
                )
            )
        self.alarm_action = cw_actions.SnsAction(self.topic)
        self.alarms: list[cw.Alarm] = []
        self.ingest_widgets: list[cw.IWidget] = []
        overview_widgets: list[cw.IWidget] = []
        for service in services:
            service_alarms = self._service(service)
            self.alarms.extend(service_alarms)
            self.add_stack_dependency(service)
        for dlq_name in self.dead_letter_queue_names:
            self.alarms.append(
                self._dead_letter_alarm(
                    dlq_name, f"An on-call notification could not be delivered ({dlq_name})."
                )
            )
        overview_widgets.append(
            cw.AlarmStatusWidget(title="All alarms", alarms=self.alarms, width=24, height=8)
        )
        overview_widgets.append(
            cw.GraphWidget(
                title="Lambda errors (all services)",
                left=[
                    cw.MathExpression(
                        expression=(
                            f'SUM(SEARCH(\'{{AWS/Lambda,FunctionName}} MetricName="Errors" '
                            f"FunctionName=\"scts-{stage.name}-\"', 'Sum', 300))"
                        ),
                        label="errors",
                        period=PERIOD,
                    )
                ],
                width=24,
            )
        )
        overview_widgets.extend(self.ingest_widgets)
        overview_widgets.append(
            cw.GraphWidget(
                title="Ingest: records accepted / duplicate / rejected (all publishers)",
                left=[
                    _business_sum(f"records_{outcome}", "publisher,kind", outcome)
                    for outcome in ("accepted", "duplicate", "rejected")
                ],
                width=12,
            )
        )
        overview_widgets.append(
            cw.GraphWidget(
                title="Projection lag (event occurred -> applied), ms",
                left=[
                    cw.Metric(
                        namespace=BUSINESS_NAMESPACE,
                        metric_name="ProjectionLag",
                        dimensions_map={"service": "portfolio"},
                        statistic=statistic,
                        period=PERIOD,
                    )
                    for statistic in ("p50", "p99")
                ],
                width=12,
            )
        )
        cw.Dashboard(
            self,
            "Overview",
            dashboard_name=f"scts-{stage.name}-overview",
            widgets=[[widget] for widget in overview_widgets],
        )

    def _notification_dlq(self, key: kms.Key) -> sqs.Queue:
        name = f"scts-{self.stage_config.name}-on-call-dlq"
        allow_aws_service(
            key,
            sid="AllowSnsDeadLetters",
            service="sns.amazonaws.com",
            actions=QUEUE_SENDER_KEY_ACTIONS,
        )
        queue = sqs.Queue(
            self,
            "OnCallDlq",
            queue_name=name,
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=key,
            enforce_ssl=True,
            retention_period=cdk.Duration.days(14),
        )
        acknowledge(queue, "AwsSolutions-SQS3", "This queue is itself a dead-letter queue.")
        acknowledge(
            queue, "Serverless-SQSRedrivePolicy", "This queue is itself a dead-letter queue."
        )
        self.dead_letter_queue_names.append(name)
        return queue

    def _alarm(
        self, construct_id: str, metric: cw.IMetric, *, threshold: float, description: str
    ) -> cw.Alarm:
        alarm = cw.Alarm(
            self,
            construct_id,
            alarm_name=f"scts-{self.stage_config.name}-{construct_id}",
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            evaluation_periods=1,
            comparison_operator=cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(self.alarm_action)
        alarm.add_ok_action(self.alarm_action)
        return alarm

    def _api_alarms(
        self, construct_prefix: str, label: str, latency_p99: cw.Metric, errors_5xx: cw.Metric
    ) -> list[cw.Alarm]:
        """An API's p99 latency above the stage's target, and any 5xx answer."""
        return [
            self._alarm(
                f"{construct_prefix}-p99",
                latency_p99,
                threshold=self.stage_config.p99_latency_alarm_ms,
                description=f"{label} p99 latency above target.",
            ),
            self._alarm(
                f"{construct_prefix}-5xx",
                errors_5xx,
                threshold=0,
                description=f"{label} answered 5xx.",
            ),
        ]

    def _dead_letter_alarm(self, dlq_name: str, description: str) -> cw.Alarm:
        """Any message in the dead-letter queue `dlq_name` pages on-call."""
        return self._alarm(
            dlq_name.removeprefix(f"scts-{self.stage_config.name}-"),
            _queue_metric(dlq_name, "ApproximateNumberOfMessagesVisible"),
            threshold=0,
            description=description,
        )

    def _ingest_api(self, stack: ServiceStack, rows: list[list[cw.IWidget]]) -> list[cw.Alarm]:
        """The REST ingest API's alarms; its graphs go on the service's dashboard (`rows`) and
        the overview. Its metrics carry ApiName + Stage (an HTTP API's carry ApiId)."""
        service = stack.topology.service
        api_name = stack.topology.resource_name(self.stage_config.name, "ingest-api")

        def metric(name: str, statistic: str) -> cw.Metric:
            return cw.Metric(
                namespace="AWS/ApiGateway",
                metric_name=name,
                dimensions_map={"ApiName": api_name, "Stage": self.stage_config.name},
                statistic=statistic,
                period=PERIOD,
            )

        latency_p99 = metric("Latency", "p99")
        errors_5xx = metric("5XXError", "Sum")
        alarms = self._api_alarms(
            f"{service}-ingest-api", f"{service} ingest API", latency_p99, errors_5xx
        )

        def traffic() -> cw.GraphWidget:  # a widget is positioned per dashboard: one each
            return cw.GraphWidget(
                title=f"{service} ingest API: requests / 4xx (refused keys, throttling) / 5xx",
                left=[metric("Count", "Sum"), metric("4XXError", "Sum"), errors_5xx],
                width=12,
            )

        rows.append(
            [
                traffic(),
                cw.GraphWidget(
                    title=f"{service} ingest API latency",
                    left=[metric("Latency", "p50"), latency_p99],
                    width=12,
                ),
            ]
        )
        self.ingest_widgets.append(traffic())
        return alarms

    def _service(self, stack: ServiceStack) -> list[cw.Alarm]:
        service = stack.topology.service
        resources = stack.resources
        alarms: list[cw.Alarm] = []
        rows: list[list[cw.IWidget]] = []
        if resources.api is not None:
            api = resources.api

            def api_metric(name: str, statistic: str) -> cw.Metric:
                return cw.Metric(
                    namespace="AWS/ApiGateway",
                    metric_name=name,
                    dimensions_map={"ApiId": api.api_id, "Stage": "$default"},
                    statistic=statistic,
                    period=PERIOD,
                )

            latency_p99 = api_metric("Latency", "p99")
            alarms += self._api_alarms(
                f"{service}-api", f"{service} API", latency_p99, api_metric("5xx", "Sum")
            )
            rows.append(
                [
                    cw.GraphWidget(
                        title="API latency",
                        left=[api_metric("Latency", "p50"), latency_p99],
                        width=12,
                    ),
                    cw.GraphWidget(
                        title="API 4xx / 5xx",
                        left=[api_metric("4xx", "Sum"), api_metric("5xx", "Sum")],
                        width=12,
                    ),
                ]
            )
        if resources.ingest_api is not None:
            alarms.extend(self._ingest_api(stack, rows))
        for logical in resources.functions:
            name = stack.topology.resource_name(self.stage_config.name, logical)
            errors = _lambda_metric(name, "Errors", "Sum")
            throttles = _lambda_metric(name, "Throttles", "Sum")
            alarms.append(
                self._alarm(
                    f"{service}-{logical}-errors",
                    errors,
                    threshold=0,
                    description=f"{name} raised.",
                )
            )
            alarms.append(
                self._alarm(
                    f"{service}-{logical}-throttles",
                    throttles,
                    threshold=0,
                    description=f"{name} was throttled.",
                )
            )
            rows.append(
                [
                    cw.GraphWidget(
                        title=f"{logical}: errors / throttles", left=[errors, throttles], width=12
                    ),
                    cw.GraphWidget(
                        title=f"{logical}: duration p50 / p99",
                        left=[
                            _lambda_metric(name, "Duration", "p50"),
                            _lambda_metric(name, "Duration", "p99"),
                        ],
                        width=12,
                    ),
                ]
            )
        for table in stack.topology.tables:
            if table.outbox:
                alarms.extend(self._relay_alarms(stack, table, rows))
        for subscribed in resources.subscriptions:
            queue_name = stack.topology.queue_name(self.stage_config.name, subscribed.subscription)
            age = _queue_metric(queue_name, "ApproximateAgeOfOldestMessage")
            alarms.append(
                self._alarm(
                    f"{service}-{subscribed.subscription.name}-stale",
                    age,
                    threshold=STALE_PROJECTION_SECONDS,
                    description=f"{service} is behind on {subscribed.subscription.name} "
                    "(stale projection).",
                )
            )
            rows.append(
                [
                    cw.GraphWidget(
                        title=f"{subscribed.subscription.name}: oldest message age",
                        left=[age],
                        width=24,
                    )
                ]
            )
        for dlq_name in resources.dead_letter_queue_names:
            alarm = self._dead_letter_alarm(
                dlq_name, f"A message reached the dead-letter queue {dlq_name}."
            )
            alarms.append(alarm)
            rows.append(
                [cw.GraphWidget(title=f"DLQ depth: {dlq_name}", left=[alarm.metric], width=24)]
            )
        cw.Dashboard(
            self,
            f"Dashboard-{service}",
            dashboard_name=f"scts-{self.stage_config.name}-{service}",
            widgets=rows,
        )
        return alarms

    def _relay_alarms(
        self, stack: ServiceStack, table: Table, rows: list[list[cw.IWidget]]
    ) -> list[cw.Alarm]:
        """An outbox relay falling behind (iterator age, outbox age) or parking events."""
        stage, topology = self.stage_config.name, stack.topology
        logical = relay_logical(table)
        function_name = topology.resource_name(stage, logical)
        alarms: list[cw.Alarm] = []
        widgets: list[cw.IWidget] = []
        for suffix, metric, threshold, description in relay_alarm_metrics(
            function_name, topology.resource_name(stage, table.name)
        ):
            alarms.append(
                self._alarm(
                    f"{topology.service}-{logical}-{suffix}",
                    metric,
                    threshold=threshold,
                    description=description,
                )
            )
            widgets.append(cw.GraphWidget(title=f"{logical}: {suffix}", left=[metric], width=8))
        rows.append(widgets)
        return alarms


def _business_sum(metric: str, dimensions: str, label: str) -> cw.MathExpression:
    """A Powertools (EMF) metric summed over every value of its extra dimensions."""
    return cw.MathExpression(
        expression=(
            f"SUM(SEARCH('{{{BUSINESS_NAMESPACE},{dimensions},service}} "
            f"MetricName=\"{metric}\"', 'Sum', 300))"
        ),
        label=label,
        period=PERIOD,
    )


def _lambda_metric(function_name: str, metric: str, statistic: str) -> cw.Metric:
    return cw.Metric(
        namespace="AWS/Lambda",
        metric_name=metric,
        dimensions_map={"FunctionName": function_name},
        statistic=statistic,
        period=PERIOD,
    )


def _queue_metric(queue_name: str, metric: str) -> cw.Metric:
    return cw.Metric(
        namespace="AWS/SQS",
        metric_name=metric,
        dimensions_map={"QueueName": queue_name},
        statistic="Maximum",
        period=cdk.Duration.minutes(1),
    )
