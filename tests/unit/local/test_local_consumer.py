"""common/consumer.py: one handle() per envelope, failures reported per record."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

import pytest

from common.consumer import batch_consumer_handler, consumer_handler
from common.observability import observability
from contracts.catalog import Catalog
from contracts.envelope import EventEnvelope
from infra.local.invoke import LambdaContext
from tests.support.things import THING_HAPPENED, thing_happened

pytestmark = pytest.mark.unit


CATALOG = Catalog([THING_HAPPENED])


def bus_event(detail: dict[str, Any], detail_type: str = "ThingHappened") -> str:
    """An EventBridge event as moto delivers it to SQS (no `account`)."""
    return json.dumps(
        {
            "version": "0",
            "id": str(uuid4()),
            "detail-type": detail_type,
            "source": "scts.widgets",
            "time": "2026-01-01T00:00:00Z",
            "region": "eu-west-1",
            "resources": [],
            "detail": detail,
        }
    )


def envelope(thing: str) -> dict[str, Any]:
    return thing_happened(thing).model_dump(mode="json")


def sqs_event(bodies: list[str]) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": f"m{i}",
                "receiptHandle": f"r{i}",
                "body": body,
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:q",
                "awsRegion": "eu-west-1",
            }
            for i, body in enumerate(bodies)
        ]
    }


def test_each_bad_record_is_reported_alone() -> None:
    obs = observability("consumer-test")
    seen: list[tuple[str, str | None]] = []

    def handle(event: EventEnvelope[Any]) -> None:
        seen.append((event.data.thing, obs.logger.get_correlation_id()))
        if event.data.thing == "explodes":
            raise RuntimeError("cannot")

    unknown = envelope("x") | {"detail_type": "NobodyDeclaredThis"}
    mismatched = bus_event(envelope("y"), detail_type="SomethingElse")
    handler = consumer_handler(CATALOG, handle, obs)
    answer = handler(
        sqs_event(
            [
                bus_event(envelope("fine")),
                "not json",
                bus_event(unknown, detail_type="NobodyDeclaredThis"),
                bus_event(envelope("explodes")),
                mismatched,
                bus_event(envelope("also-fine")),
            ]
        ),
        LambdaContext("consumer-test", 128, 5),  # type: ignore[arg-type]
    )
    assert answer == {
        "batchItemFailures": [{"itemIdentifier": m} for m in ("m1", "m2", "m3", "m4")]
    }
    assert seen == [
        ("fine", "corr-fine"),
        ("explodes", "corr-explodes"),
        ("also-fine", "corr-also-fine"),
    ]


class Tally:
    """Batch work that keeps what it handled and reports it once, at the end."""

    def __init__(self, finished: list[list[str]], *, fail_at_finish: bool = False) -> None:
        self.handled: list[str] = []
        self.finished = finished
        self.fail_at_finish = fail_at_finish

    def handle(self, event: EventEnvelope[Any]) -> None:
        self.handled.append(event.data.thing)
        if event.data.thing == "explodes":
            raise RuntimeError("cannot")

    def finish(self) -> None:
        if self.fail_at_finish:
            raise RuntimeError("the batch's last write failed")
        self.finished.append(self.handled)


CONTEXT: Any = LambdaContext("consumer-test", 128, 5)


def test_batch_work_is_new_for_each_invocation_and_finishes_once_after_every_record() -> None:
    finished: list[list[str]] = []
    handler = batch_consumer_handler(
        CATALOG, lambda: Tally(finished), observability("consumer-test")
    )
    first = sqs_event([bus_event(envelope(t)) for t in ("a", "explodes", "b")])
    assert handler(first, CONTEXT) == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert handler(sqs_event([bus_event(envelope("c"))]), CONTEXT) == {"batchItemFailures": []}
    assert finished == [["a", "explodes", "b"], ["c"]]


def test_a_failing_finish_fails_the_whole_batch() -> None:
    """The batch is then retried whole, so `finish` is never skipped for a record."""
    handler = batch_consumer_handler(
        CATALOG, lambda: Tally([], fail_at_finish=True), observability("consumer-test")
    )
    with pytest.raises(RuntimeError, match="last write failed"):
        handler(sqs_event([bus_event(envelope("a"))]), CONTEXT)
