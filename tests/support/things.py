"""A test-only event (`ThingHappened` from `scts.widgets`) and queue helpers, shared by the
local runtime's consumer, poller and relay tests."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from contracts.envelope import EventData, EventEnvelope, utc_now
from contracts.event_type import EventType


class ThingHappened(EventData):
    thing: str


THING_HAPPENED = EventType(
    detail_type="ThingHappened", version=1, service="widgets", data_model=ThingHappened
)


def thing_happened(thing: str) -> EventEnvelope[ThingHappened]:
    """A fresh envelope (new event id) telling that `thing` happened."""
    return EventEnvelope[ThingHappened](
        event_id=uuid4(),
        detail_type="ThingHappened",
        version=1,
        source="scts.widgets",
        occurred_at=utc_now(),
        correlation_id=f"corr-{thing}",
        data=ThingHappened(thing=thing),
    )


def drain(sqs: Any, queue_url: str) -> list[dict[str, Any]]:
    """Every message the queue hands out now (without deleting them)."""
    found: list[dict[str, Any]] = []
    while True:
        messages = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
        ).get("Messages", [])
        if not messages:
            return found
        found.extend(messages)
