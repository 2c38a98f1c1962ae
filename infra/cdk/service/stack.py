"""One CloudFormation stack per service, built only from its `ServiceTopology`.

The stack composes its sections, each a module of this package: the key
(`encryption`), tables, buckets and secrets (`data`), functions and their grants
(`functions`), the HTTP API (`http_api`), the REST ingest API (`ingest_api`), consumed
queues (`queues`) fed by subscriptions, bucket notifications and work queues
(`consumers`) or SES (`mail`), schedules, scans, claim checks and signed downloads
(`files`), and the outbox relays (`outbox`). Every section creates its resources with the
stack as their scope, so logical ids are the stack's own (a section is a file, not a
level of the construct tree: splitting the stack replaced no deployed resource).

Names, rule patterns, queue attributes and function environments come from the same
pure functions the local runtime uses (`infra.shape`), so the cloud and the laptop
create the same shape.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from constructs import Construct

from common.topology import HTTP_API_URL_ENV, ServiceTopology
from infra.cdk.config import StageConfig
from infra.cdk.lambda_code import LambdaCode
from infra.cdk.service import consumers, data, files, functions, mail, outbox
from infra.cdk.service.base import PlatformRefs, ServiceResources
from infra.cdk.service.encryption import allow_eventbridge, service_key
from infra.cdk.service.http_api import http_api
from infra.cdk.service.ingest_api import ingest_api
from infra.cdk.service.queues import dead_letter_queue
from infra.shape.resources import function_environment

CONFUSED_DEPUTY_FLAGS = {
    # targets.SqsQueue on a KMS queue: the queue policy and the key grant to
    # events.amazonaws.com carry aws:SourceAccount (without it: no condition at all).
    "@aws-cdk/aws-events:eventsTargetQueueSameAccount": True,
}
"""CDK feature flags (off unless set) that scope the grants CDK writes for AWS service
principals to this account; set on every service stack, so they hold whatever context the
app is synthesized with. (SNS -> KMS queue: `mail.mail_events` writes its own grants; the
flag for it would put the topic's ARN in the key policy, a cycle.)"""


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
        for flag, enabled in CONFUSED_DEPUTY_FLAGS.items():
            self.node.set_context(flag, enabled)
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

        self.key = service_key(self)
        self.function_env = function_environment(
            topology,
            stage.name,
            platform.values(self.region),
            version=version,
            git_commit=git_commit,
            account_id=self.account,
        )
        self.buckets = {bucket.name: data.bucket(self, bucket.name) for bucket in topology.buckets}
        for table in topology.tables:
            self.resources.tables[table.name] = data.table(self, table)
        self.secrets = [data.secret(self, secret) for secret in topology.secrets]
        for declared in topology.functions:
            self.resources.functions[declared.name] = functions.function(
                self,
                declared.name,
                handler=declared.handler,
                timeout_seconds=declared.timeout_seconds,
                memory_mb=declared.memory_mb,
                reserved_concurrency=declared.reserved_concurrency,
                environment=self.function_env,
                access=declared.access,
            )
        if topology.http_routes:
            self.resources.api = http_api(self)
        if topology.ingest_routes:
            self.resources.ingest_api = ingest_api(self)
        if topology.subscriptions or topology.malware_scans:
            self.rule_dead_letter_queue = dead_letter_queue(self, "rule-targets-dlq")
            allow_eventbridge(self, self.rule_dead_letter_queue)
            for subscription in topology.subscriptions:
                self.resources.subscriptions.append(consumers.subscription(self, subscription))
        self._files()
        notification_queues = {
            notification.name: consumers.bucket_notification(self, notification)
            for notification in topology.bucket_notifications
        }
        for bucket in topology.buckets:
            consumers.notification_configuration(self, bucket, notification_queues)
        for work_queue in topology.work_queues:
            consumers.work_queue(self, work_queue)
        if topology.mail_events is not None:
            mail.mail_events(self, topology.mail_events)
        if self.resources.api is not None:
            # The function refers to the API's endpoint; the API itself does not refer to
            # the function (its integrations do), so there is no cycle.
            for declared in topology.functions:
                self.resources.functions[declared.name].add_environment(
                    HTTP_API_URL_ENV, self.resources.api.api_endpoint
                )
        for table in topology.tables:
            if table.outbox:
                outbox.outbox_relay(self, table)

    def _files(self) -> None:
        """Schedules, malware scans, claim checks and signed downloads (`files`)."""
        for declared_schedule in self.topology.schedules:
            files.schedule(self, declared_schedule)
        for scan in self.topology.malware_scans:
            files.malware_scan(self, scan)
        for claim in self.topology.claim_checks:
            files.claim_check(self, claim)
        for downloads in self.topology.signed_downloads:
            files.signed_downloads(self, downloads)
