"""Outbox -> DynamoDB Local stream -> local stream poller -> common/relay_handler -> bus.

What "the relay never gives up a fact" means, each part shown failing-then-recovering:
retries outlast any outage, a poison entry is parked (not blocking the rest), a function
error is bisected down to the record that causes it, records past the mapping's maximum
age reach the DLQ as metadata only while their outbox rows stay unpublished, and
`infra.ops.republish` puts those on the bus from the outbox.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from botocore.exceptions import ClientError

import common.relay_handler as relay_handler
from common.outbox import EXPIRES_AT, OUTBOX_RETENTION, PUBLISHED_AT, outbox_key, outbox_put
from common.outbox_relay import RELAY_MAPPING, StreamMapping
from common.topology import Function, ServiceTopology, Subscription, Table
from contracts.envelope import EventEnvelope
from infra.local import resources
from infra.local.aws import client
from infra.local.invoke import FunctionSpec, InProcessInvoker
from infra.local.stream_poller import StreamPoller
from infra.ops import republish
from tests.support.things import ThingHappened, drain, thing_happened

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
    """An EventBridge client whose first `failures` PutEvents calls fail in `mode`, and
    which refuses entries mentioning `poison` as malformed."""

    def __init__(self, real: Any, failures: int = 0, mode: str = "raise") -> None:
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
        poisoned = ["poison" in e["Detail"] for e in Entries]
        good = [e for e, bad in zip(Entries, poisoned, strict=True) if not bad]
        answer: dict[str, Any] = self._real.put_events(Entries=good) if good else {"Entries": []}
        results = iter(answer["Entries"])
        return {
            "FailedEntryCount": sum(poisoned),
            "Entries": [
                {"ErrorCode": "MalformedDetail"} if bad else next(results) for bad in poisoned
            ],
        }


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
    monkeypatch.setattr(relay_handler, "ENTRY_RETRY_BASE_SECONDS", 0.001)
    monkeypatch.setattr(relay_handler, "ENTRY_RETRY_CAP_SECONDS", 0.01)
    relay_handler._settings.cache_clear()
    found: dict[str, Any] = {
        "dynamodb": dynamodb,
        "streams": streams,
        "sqs": sqs,
        "events": events,
        "bus": bus,
        "table": request["TableName"],
        "stream_arn": description["LatestStreamArn"],
        "queue_url": queues.queue_url,
        "relay_dlq": relay_dlq,
        "relay_events": events,  # what the relay handler's EventBridge client is
        "moto_url": moto_url,
        "dynamodb_url": dynamodb_local_url,
    }
    monkeypatch.setattr(relay_handler, "_events_client", lambda: found["relay_events"])
    monkeypatch.setattr(relay_handler, "_dynamodb_client", lambda: dynamodb)
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


def poller(
    stack: dict[str, Any],
    events_client: Any,
    handler: Any = None,
    mapping: StreamMapping = RELAY_MAPPING,
    **kwargs: Any,
) -> StreamPoller:
    stack["relay_events"] = events_client
    invoker = InProcessInvoker()
    invoker.register(RELAY, handler)
    return StreamPoller(
        stack["streams"],
        stack["sqs"],
        invoker,
        stream_arn=stack["stream_arn"],
        function_name=RELAY.name,
        dlq_url=stack["relay_dlq"],
        stop=threading.Event(),
        mapping=mapping,
        retry_base_seconds=0.01,
        retry_cap_seconds=0.05,
        **kwargs,
    )


def bus_deliveries(
    stack: dict[str, Any], stream: StreamPoller | None, polls: int = 10, seconds: float = 30
) -> list[Any]:
    """Poll the stream until deliveries stop for `polls` rounds; every envelope delivered."""
    received: list[Any] = []
    deadline = time.monotonic() + seconds
    quiet_polls = 0
    while time.monotonic() < deadline and quiet_polls < polls:
        if stream is not None:
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


def ids(delivered: list[Any]) -> list[str]:
    return sorted(d["event_id"] for d in delivered)


def outbox_row(stack: dict[str, Any], event: EventEnvelope[Any]) -> dict[str, Any]:
    item: dict[str, Any] = stack["dynamodb"].get_item(
        TableName=stack["table"], Key=outbox_key(str(event.event_id)), ConsistentRead=True
    )["Item"]
    return item


def dead_letters(stack: dict[str, Any]) -> list[dict[str, Any]]:
    return [json.loads(m["Body"]) for m in drain(stack["sqs"], stack["relay_dlq"])]


def test_an_outbox_event_reaches_the_bus_exactly_once_then_is_marked_published(
    stack: dict[str, Any],
) -> None:
    event = write_thing(stack, "a")
    unpublished = outbox_row(stack, event)
    assert PUBLISHED_AT not in unpublished
    assert EXPIRES_AT not in unpublished  # a row not yet on the bus never expires
    before = datetime.now(UTC)
    delivered = bus_deliveries(stack, poller(stack, stack["events"]))
    assert ids(delivered) == [str(event.event_id)]
    assert delivered[0]["correlation_id"] == "corr-a"
    published = outbox_row(stack, event)
    marked = datetime.fromisoformat(published[PUBLISHED_AT]["S"])
    assert marked >= before
    expires = int(published[EXPIRES_AT]["N"])
    assert expires == int((marked + OUTBOX_RETENTION).timestamp())
    assert {k: v for k, v in published.items() if k not in (PUBLISHED_AT, EXPIRES_AT)} == (
        unpublished
    )


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
    """More failures than one invocation retries: the stream must deliver them again."""
    failures = relay_handler.ENTRY_RETRIES + 2
    flaky = Flaky(stack["events"], failures=failures, mode=mode)
    events = [write_thing(stack, f"t{i}") for i in range(3)]
    delivered = bus_deliveries(stack, poller(stack, flaky))
    assert flaky.calls > failures
    assert ids(delivered) == sorted(str(e.event_id) for e in events)


def test_an_outage_longer_than_any_retry_budget_loses_nothing(stack: dict[str, Any]) -> None:
    """40 failed PutEvents calls: ten failed invocations of the relay, more than a
    bounded mapping would retry. Nothing reaches the DLQ; everything reaches the bus."""
    flaky = Flaky(stack["events"], failures=40, mode="raise")
    events = [write_thing(stack, f"o{i}") for i in range(5)]
    delivered = bus_deliveries(stack, poller(stack, flaky), seconds=60)
    assert flaky.calls > 40
    assert ids(delivered) == sorted(str(e.event_id) for e in events)
    assert dead_letters(stack) == []
    assert all(PUBLISHED_AT in outbox_row(stack, e) for e in events)


def test_a_poison_entry_is_parked_in_the_outbox_and_the_others_pass(
    stack: dict[str, Any],
) -> None:
    before = write_thing(stack, "before")
    poison = write_thing(stack, "poison")
    after = write_thing(stack, "after")
    delivered = bus_deliveries(stack, poller(stack, Flaky(stack["events"])))
    assert ids(delivered) == sorted([str(before.event_id), str(after.event_id)])
    assert dead_letters(stack) == []
    assert PUBLISHED_AT not in outbox_row(stack, poison)
    assert PUBLISHED_AT in outbox_row(stack, after)

    # after the fix: the parked fact goes out from the outbox
    report = republish.republish(
        stack["dynamodb"],
        stack["events"],
        stack["table"],
        stack["bus"],
        republish.Selection(unpublished_only=True),
    )
    assert (report.found, report.sent, report.ok) == (1, 1, True)
    assert ids(bus_deliveries(stack, None, polls=3)) == [str(poison.event_id)]
    assert PUBLISHED_AT in outbox_row(stack, poison)


def crashing_relay(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The relay, except that it raises on any batch holding a `crash` record."""
    if any("crash" in json.dumps(r) for r in event["Records"]):
        raise RuntimeError("relay crashed on this batch")
    answer: dict[str, Any] = relay_handler.handler(event, context)
    return answer


def test_a_function_error_is_bisected_down_to_the_record_that_causes_it(
    stack: dict[str, Any],
) -> None:
    """With a bounded mapping, only the crashing record is given up: bisecting isolates it,
    the records around it are published, the DLQ names its sequence number only."""
    events = {name: write_thing(stack, name) for name in ("b1", "b2", "crash", "b3", "b4")}
    mapping = StreamMapping(max_retry_attempts=2)
    stream = poller(stack, stack["events"], handler=crashing_relay, mapping=mapping)
    delivered = bus_deliveries(stack, stream, polls=5)
    assert ids(delivered) == sorted(str(e.event_id) for n, e in events.items() if n != "crash")
    (dead,) = dead_letters(stack)
    batch = dead["DDBStreamBatchInfo"]
    assert batch["batchSize"] == 1
    assert batch["startSequenceNumber"] == batch["endSequenceNumber"]
    assert dead["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert PUBLISHED_AT not in outbox_row(stack, events["crash"])


def test_records_past_the_maximum_age_reach_the_dlq_as_metadata_and_republish_recovers_them(
    stack: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As in AWS: records failing until they are older than the mapping's maximum age go
    to the on-failure destination, which receives metadata only; the facts stay in the
    outbox, unpublished, and the republish command (the operator's CLI) sends them."""
    now = [time.time()]
    flaky = Flaky(stack["events"], failures=10**6, mode="entries")
    events = [write_thing(stack, f"aged{i}") for i in range(3)]
    stream = poller(stack, flaky, clock=lambda: now[0])
    for _ in range(3):
        stream.poll_once()
    assert dead_letters(stack) == []
    now[0] += RELAY_MAPPING.max_record_age_seconds + 60
    time.sleep(0.1)  # past the retry backoff
    stream.poll_once()
    (dead,) = dead_letters(stack)
    assert dead["requestContext"]["condition"] == "RecordAgeExceeded"
    assert dead["DDBStreamBatchInfo"]["batchSize"] == 3
    assert dead["DDBStreamBatchInfo"]["streamArn"] == stack["stream_arn"]
    assert "envelope" not in json.dumps(dead)  # metadata only, as Lambda sends it
    assert all(PUBLISHED_AT not in outbox_row(stack, e) for e in events)

    endpoints = tmp_path / "endpoints.json"
    endpoints.write_text(
        json.dumps({"aws_endpoint": stack["moto_url"], "dynamodb_endpoint": stack["dynamodb_url"]})
    )
    common = ["--local", str(endpoints), "--table", stack["table"], "--bus", stack["bus"]]
    capsys.readouterr()
    assert republish.main([*common, "--unpublished", "--dry-run"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("would send") for line in listed) == 3
    assert bus_deliveries(stack, None, polls=2, seconds=3) == []
    assert republish.main([*common, "--unpublished"]) == 0
    assert "3 outbox rows selected, sent 3" in capsys.readouterr().out
    assert ids(bus_deliveries(stack, None, polls=3)) == sorted(str(e.event_id) for e in events)
    assert republish.main([*common, "--unpublished"]) == 0  # nothing left to send
    assert "0 outbox rows selected" in capsys.readouterr().out


def test_republish_by_event_id_and_time_range_resends_published_facts(
    stack: dict[str, Any],
) -> None:
    """A consumer that lost its copy: published facts can be sent again on request."""
    first, second = write_thing(stack, "r1"), write_thing(stack, "r2")
    bus_deliveries(stack, poller(stack, stack["events"]))
    by_id = republish.republish(
        stack["dynamodb"],
        stack["events"],
        stack["table"],
        stack["bus"],
        republish.Selection(event_ids=(str(second.event_id), "no-such-event")),
    )
    assert (by_id.sent, by_id.missing) == (1, ["no-such-event"])
    assert ids(bus_deliveries(stack, None, polls=3)) == [str(second.event_id)]
    in_range = republish.Selection(since=first.occurred_at, until=second.occurred_at)
    by_time = republish.republish(
        stack["dynamodb"], stack["events"], stack["table"], stack["bus"], in_range
    )
    assert by_time.sent == 1
    assert ids(bus_deliveries(stack, None, polls=3)) == [str(first.event_id)]


def test_an_event_id_enters_the_outbox_once_and_takes_its_state_change_with_it(
    stack: dict[str, Any],
) -> None:
    """A producer retrying with the same event id cannot write a second event, and the
    state change that came with the retry is not applied either (one transaction)."""
    event = write_thing(stack, "once")
    again = {
        "Put": {
            "TableName": stack["table"],
            "Item": {"pk": {"S": "THING#second"}, "sk": {"S": "STATE"}},
        }
    }
    with pytest.raises(ClientError) as refused:
        stack["dynamodb"].transact_write_items(
            TransactItems=[again, outbox_put(stack["table"], event)]
        )
    assert refused.value.response["Error"]["Code"] == "TransactionCanceledException"
    second = stack["dynamodb"].get_item(
        TableName=stack["table"], Key={"pk": {"S": "THING#second"}, "sk": {"S": "STATE"}}
    )
    assert "Item" not in second
