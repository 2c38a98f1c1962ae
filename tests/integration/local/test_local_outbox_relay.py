"""Outbox -> DynamoDB Local stream -> local stream poller -> common/relay_handler -> bus."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from botocore.exceptions import ClientError

import common.relay_handler as relay_handler
from common.outbox import outbox_put
from common.topology import Function, ServiceTopology, Subscription, Table
from contracts.envelope import EventEnvelope
from infra.local import resources
from infra.local.aws import client
from infra.local.invoke import FunctionSpec, InProcessInvoker
from infra.local.stream_poller import StreamPoller
from tests.support.things import ThingHappened, thing_happened

pytestmark = pytest.mark.integration

STAGE = "itest"
RELAY = FunctionSpec("relay", "common.relay_handler.handler", 30, 256)


TOPOLOGY = ServiceTopology(
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


class Flaky:
    """An EventBridge client whose first `failures` PutEvents calls fail in `mode`."""

    def __init__(self, real: Any, failures: int, mode: str) -> None:
        self._real = real
        self._left = failures
        self._mode = mode
        self.calls = 0

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        self.calls += 1
        if self._left > 0:
            self._left -= 1
            if self._mode == "raise":
                raise ClientError(
                    {"Error": {"Code": "InternalException", "Message": "boom"}}, "PutEvents"
                )
            return {
                "FailedEntryCount": len(Entries),
                "Entries": [{"ErrorCode": "InternalFailure"} for _ in Entries],
            }
        answer: dict[str, Any] = self._real.put_events(Entries=Entries)
        return answer


@pytest.fixture
def stack(
    moto_url: str, dynamodb_local_url: str, aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, Any]]:
    dynamodb = client("dynamodb", dynamodb_local_url)
    streams = client("dynamodbstreams", dynamodb_local_url)
    sqs, events = client("sqs", moto_url), client("events", moto_url)
    suffix = uuid4().hex[:8]
    stage = f"{STAGE}{suffix}"
    bus = f"bus-{suffix}"
    events.create_event_bus(Name=bus)
    request = resources.create_table_request(TOPOLOGY, stage, TOPOLOGY.tables[0])
    description = dynamodb.create_table(**request)["TableDescription"]
    queues = resources.provision_subscription(
        LISTENER, stage, LISTENER.subscriptions[0], bus, sqs=sqs, events=events
    )
    relay_dlq = sqs.create_queue(QueueName=f"relay-dlq-{suffix}")["QueueUrl"]
    monkeypatch.setenv("SCTS_EVENT_BUS_NAME", bus)
    relay_handler._settings.cache_clear()
    found: dict[str, Any] = {
        "dynamodb": dynamodb,
        "streams": streams,
        "sqs": sqs,
        "events": events,
        "table": request["TableName"],
        "stream_arn": description["LatestStreamArn"],
        "queue_url": queues.queue_url,
        "relay_dlq": relay_dlq,
        "relay_events": events,  # what the relay handler's EventBridge client is
    }
    monkeypatch.setattr(relay_handler, "_events_client", lambda: found["relay_events"])
    yield found
    relay_handler._settings.cache_clear()


def write_thing(stack: dict[str, Any], thing: str) -> EventEnvelope[ThingHappened]:
    """A state change and its event, in one transaction."""
    event = thing_happened(thing)
    stack["dynamodb"].transact_write_items(
        TransactItems=[
            {
                "Put": {
                    "TableName": stack["table"],
                    "Item": {"pk": {"S": f"THING#{thing}"}, "sk": {"S": "STATE"}},
                }
            },
            outbox_put(stack["table"], event),
        ]
    )
    return event


def poller(stack: dict[str, Any], events_client: Any, **kwargs: Any) -> StreamPoller:
    stack["relay_events"] = events_client
    invoker = InProcessInvoker()
    invoker.register(RELAY)
    return StreamPoller(
        stack["streams"],
        stack["sqs"],
        invoker,
        stream_arn=stack["stream_arn"],
        function_name=RELAY.name,
        dlq_url=stack["relay_dlq"],
        stop=threading.Event(),
        retry_seconds=0.01,
        **kwargs,
    )


def bus_deliveries(stack: dict[str, Any], stream: StreamPoller, polls: int = 10) -> list[Any]:
    """Poll the stream a few times, then collect every envelope the bus delivered."""
    received: list[Any] = []
    deadline = time.monotonic() + 30
    quiet_polls = 0
    while time.monotonic() < deadline and quiet_polls < polls:
        stream.poll_once()
        messages = (
            stack["sqs"]
            .receive_message(QueueUrl=stack["queue_url"], MaxNumberOfMessages=10, WaitTimeSeconds=0)
            .get("Messages", [])
        )
        for message in messages:
            received.append(json.loads(message["Body"])["detail"])
            stack["sqs"].delete_message(
                QueueUrl=stack["queue_url"], ReceiptHandle=message["ReceiptHandle"]
            )
        quiet_polls = quiet_polls + 1 if received and not messages else 0
        time.sleep(0.05)
    return received


def test_an_outbox_event_reaches_the_bus_exactly_once(stack: dict[str, Any]) -> None:
    event = write_thing(stack, "a")
    delivered = bus_deliveries(stack, poller(stack, stack["events"]))
    assert [d["event_id"] for d in delivered] == [str(event.event_id)]
    assert delivered[0]["correlation_id"] == "corr-a"


def test_events_written_after_the_poller_started_are_relayed(stack: dict[str, Any]) -> None:
    """The runtime starts polling empty tables (DynamoDB Local then rejects the first
    iterator once records arrive)."""
    stream = poller(stack, stack["events"])
    assert stream.poll_once() == 0
    first = write_thing(stack, "late-1")
    delivered = bus_deliveries(stack, stream, polls=3)
    second = write_thing(stack, "late-2")
    delivered += bus_deliveries(stack, stream, polls=3)
    assert [d["event_id"] for d in delivered] == [str(first.event_id), str(second.event_id)]


@pytest.mark.parametrize("mode", ["raise", "entries"])
def test_a_failed_put_events_is_retried_and_not_lost(stack: dict[str, Any], mode: str) -> None:
    flaky = Flaky(stack["events"], failures=1, mode=mode)
    events = [write_thing(stack, f"t{i}") for i in range(3)]
    delivered = bus_deliveries(stack, poller(stack, flaky))
    assert flaky.calls >= 2
    assert sorted(d["event_id"] for d in delivered) == sorted(str(e.event_id) for e in events)


def test_records_failing_every_attempt_land_in_the_relay_dlq(stack: dict[str, Any]) -> None:
    flaky = Flaky(stack["events"], failures=1000, mode="raise")
    event = write_thing(stack, "doomed")
    stream = poller(stack, flaky, max_attempts=3)
    deadline = time.monotonic() + 30
    dead: list[dict[str, Any]] = []
    while not dead and time.monotonic() < deadline:
        stream.poll_once()
        dead = (
            stack["sqs"]
            .receive_message(QueueUrl=stack["relay_dlq"], MaxNumberOfMessages=10, WaitTimeSeconds=0)
            .get("Messages", [])
        )
    assert flaky.calls == 3
    record = json.loads(dead[0]["Body"])["record"]
    assert json.loads(record["dynamodb"]["NewImage"]["envelope"]["S"])["event_id"] == str(
        event.event_id
    )
