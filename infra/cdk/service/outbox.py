"""The outbox relay of a table: DynamoDB stream -> relay function -> bus."""

from __future__ import annotations

from typing import TYPE_CHECKING

from common.topology import Access, PlatformRef, Table
from infra.cdk.nag import acknowledge
from infra.cdk.relay import RELAY_HANDLER, grant_marking, relay_event_source, relay_logical
from infra.cdk.service.base import role_policy
from infra.cdk.service.functions import function
from infra.cdk.service.queues import dead_letter_queue

if TYPE_CHECKING:
    from infra.cdk.service.stack import ServiceStack


def outbox_relay(stack: ServiceStack, table: Table) -> None:
    """DynamoDB stream -> relay function -> bus (`infra.cdk.relay`: retries until the
    event is on the bus or too old, then metadata to the relay DLQ)."""
    logical = relay_logical(table)
    relay = function(
        stack,
        logical,
        handler=RELAY_HANDLER,
        timeout_seconds=30,
        memory_mb=256,
        reserved_concurrency=None,
        environment={
            "SCTS_SERVICE_NAME": stack.topology.service,
            "SCTS_STAGE": stack.stage_config.name,
            **stack.platform.values(stack.region).for_ref(PlatformRef.EVENT_BUS),
        },
        access=Access(publishes=True),
    )
    stack.resources.functions[logical] = relay
    dead_letters = dead_letter_queue(stack, f"{logical}-dlq")
    for wildcard in ("kms:ReEncrypt*", "kms:GenerateDataKey*"):
        acknowledge(
            role_policy(relay),
            f"AwsSolutions-IAM5[Action::{wildcard}]",
            "CDK's send grant for the on-failure DLQ, on this service's own key only.",
        )
    assert relay.role is not None
    grant_marking(relay.role, stack.resources.tables[table.name])
    relay.add_event_source(relay_event_source(stack.resources.tables[table.name], dead_letters))
