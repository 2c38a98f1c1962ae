"""The Ready check reads the real event path: outbox (DynamoDB Local) -> bus archive -> queue."""

from __future__ import annotations

import threading
from typing import Any
from uuid import uuid4

import pytest

import common.relay_handler as relay_handler
from common.outbox import outbox_put
from common.topology import Function, ServiceTopology, Subscription, Table
from infra.local import readiness, resources
from infra.local.aws import client
from infra.local.invoke import FunctionSpec, InProcessInvoker
from infra.local.stream_poller import StreamPoller
from tests.support.things import thing_happened

pytestmark = pytest.mark.integration

RELAY = FunctionSpec("relay", "common.relay_handler.handler", 30, 256)
WIDGETS = ServiceTopology(
    service="widgets",
    functions=(Function(name="api", handler="tests.unused.handler"),),
    tables=(Table(name="things", stream=True, outbox=True),),
    publishes=("ThingHappened",),
)
LISTENER = ServiceTopology(
    service="listener",
    functions=(Function(name="consume", handler="tests.unused.handler"),),
    subscriptions=(
        Subscription(
            name="things",
            detail_types=("ThingHappened",),
            sources=("scts.widgets",),
            function="consume",
        ),
    ),
)


def test_ready_only_once_the_event_is_relayed_and_consumed(
    moto_url: str, dynamodb_local_url: str, aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stage = f"ready{uuid4().hex[:8]}"
    clients = {
        name: client(name, dynamodb_local_url if name.startswith("dynamodb") else moto_url)
        for name in ("dynamodb", "dynamodbstreams", "s3", "sqs", "events", "secretsmanager")
    }
    provisioned = resources.provision((WIDGETS, LISTENER), stage, clients)
    queue_urls, dlq_urls = readiness.subscription_queues(provisioned)
    path = readiness.EventPath(
        dynamodb=clients["dynamodb"],
        sqs=clients["sqs"],
        events=clients["events"],
        outbox_tables=tuple(s.table_name for s in provisioned.outbox_streams),
        archive_name=provisioned.event_archive_name,
        relay_dlq_url=provisioned.relay_dlq_url,
        queue_urls=queue_urls,
        dlq_urls=dlq_urls,
    )
    assert path.look().drained

    table = provisioned.outbox_streams[0].table_name
    clients["dynamodb"].transact_write_items(
        TransactItems=[
            {"Put": {"TableName": table, "Item": {"pk": {"S": "THING#a"}, "sk": {"S": "S"}}}},
            outbox_put(table, thing_happened("a")),
        ]
    )
    committed = path.look()
    assert (committed.committed, committed.on_bus, committed.drained) == (1, 0, False)

    monkeypatch.setenv("SCTS_EVENT_BUS_NAME", provisioned.event_bus_name)
    monkeypatch.setattr(relay_handler, "_events_client", lambda: clients["events"])
    monkeypatch.setattr(relay_handler, "_dynamodb_client", lambda: clients["dynamodb"])
    relay_handler._settings.cache_clear()
    invoker = InProcessInvoker()
    invoker.register(RELAY)
    stream = StreamPoller(
        clients["dynamodbstreams"],
        clients["sqs"],
        invoker,
        stream_arn=provisioned.outbox_streams[0].stream_arn,
        function_name=RELAY.name,
        dlq_url=provisioned.relay_dlq_url,
        stop=threading.Event(),
    )
    try:
        relayed_records = 0
        for _ in range(50):
            relayed_records = stream.poll_once()
            if relayed_records:
                break
        # The relay mapping's filter (RELAY_MAPPING) passes the outbox insert only, not
        # the state item written in the same transaction.
        assert relayed_records == 1
    finally:
        relay_handler._settings.cache_clear()
    relayed = path.look()
    assert (relayed.on_bus, relayed.queued, relayed.drained) == (1, 1, False)

    sqs: Any = clients["sqs"]
    message = sqs.receive_message(QueueUrl=queue_urls[0], VisibilityTimeout=30)["Messages"][0]
    assert not path.look().drained  # in flight: the consumer has not finished
    sqs.delete_message(QueueUrl=queue_urls[0], ReceiptHandle=message["ReceiptHandle"])
    assert path.look() == readiness.Backlog(committed=1, on_bus=1, relay_dead=0, queued=0, dead=0)
