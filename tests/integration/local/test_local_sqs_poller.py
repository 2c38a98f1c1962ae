"""The local SQS poller + common/consumer.py: partial batch failures, retries, DLQ."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from typing import Any
from uuid import uuid4

import pytest

from common.consumer import consumer_handler
from common.observability import observability
from common.topology import Function, ServiceTopology, Subscription
from contracts.catalog import Catalog
from contracts.envelope import EventEnvelope
from infra.local import resources
from infra.local.aws import client
from infra.local.invoke import FunctionSpec, InProcessInvoker
from infra.local.sqs_poller import SqsPoller
from tests.support.things import THING_HAPPENED, drain, thing_happened

pytestmark = pytest.mark.integration

STAGE = "itest"
MAX_RECEIVES = 2


TOPOLOGY = ServiceTopology(
    service="gadgets",
    functions=(Function(name="consume", handler="tests.unused.handler", timeout_seconds=1),),
    subscriptions=(
        Subscription(
            name="things",
            detail_types=("ThingHappened",),
            sources=("scts.widgets",),
            function="consume",
            batch_size=10,
            max_receives=MAX_RECEIVES,
        ),
    ),
)


def test_one_failing_record_is_retried_then_dead_lettered(moto_url: str, aws_env: dict[str, str]):
    sqs, events = client("sqs", moto_url), client("events", moto_url)
    bus = f"bus-{uuid4().hex[:8]}"
    events.create_event_bus(Name=bus)
    subscription = TOPOLOGY.subscriptions[0]
    queues = resources.provision_subscription(
        TOPOLOGY, STAGE, subscription, bus, sqs=sqs, events=events
    )
    attributes = sqs.get_queue_attributes(QueueUrl=queues.queue_url, AttributeNames=["All"])
    assert attributes["Attributes"]["VisibilityTimeout"] == "6"
    assert json.loads(attributes["Attributes"]["RedrivePolicy"])["maxReceiveCount"] == 2

    handled: Counter[str] = Counter()
    poison = "thing-4"

    def handle(event: EventEnvelope[Any]) -> None:
        handled[event.data.thing] += 1
        if event.data.thing == poison:
            raise RuntimeError("this thing cannot be handled")

    invoker = InProcessInvoker()
    spec = FunctionSpec("gadgets-consume", "tests.unused.handler", 1, 128)
    invoker.register(spec, consumer_handler(Catalog([THING_HAPPENED]), handle, observability("t")))
    sent = [thing_happened(f"thing-{i}") for i in range(10)]
    answer = events.put_events(
        Entries=[
            {
                "Source": e.source,
                "DetailType": e.detail_type,
                "Detail": e.model_dump_json(),
                "EventBusName": bus,
            }
            for e in sent
        ]
    )
    assert answer["FailedEntryCount"] == 0

    poller = SqsPoller(
        sqs,
        invoker,
        queue_url=queues.queue_url,
        queue_arn=queues.queue_arn,
        function_name=spec.name,
        batch_size=subscription.batch_size,
        stop=threading.Event(),
        wait_seconds=1,  # an empty poll in the loop below returns within a second
    )
    first_batch = poller.poll_once()
    assert first_batch == 10
    dead: list[dict[str, Any]] = []
    deadline = time.monotonic() + 60
    while not dead and time.monotonic() < deadline:
        poller.poll_once()
        dead = drain(sqs, queues.dlq_url)

    assert [json.loads(m["Body"])["detail"]["data"]["thing"] for m in dead] == [poison]
    assert handled[poison] == MAX_RECEIVES
    assert {thing: n for thing, n in handled.items() if thing != poison} == {
        f"thing-{i}": 1 for i in range(10) if f"thing-{i}" != poison
    }
    assert drain(sqs, queues.queue_url) == []
