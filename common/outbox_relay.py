"""From DynamoDB stream records to EventBridge entries: the relay every outbox uses.

In the cloud this code runs behind the table's stream (the event source mapping in
`RELAY_MAPPING`); locally the runtime's stream poller calls the same handler with the same
event shape and honours the same mapping settings.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from common.outbox import OUTBOX_MARKER

PUT_EVENTS_MAX_ENTRIES = 10
PUT_EVENTS_MAX_BYTES = 256 * 1024
"""PutEvents limits: 10 entries and 256 KB per request (and so per entry)."""

RETRYABLE_ENTRY_ERRORS = frozenset({"InternalFailure", "ThrottlingException"})
"""Entry errors EventBridge documents as transient."""
POISON_ENTRY_ERRORS = frozenset({"MalformedDetail", "InvalidArgument", "RedactionFailure"})
"""Entry errors that say the entry itself is bad: retrying it can never succeed. The relay
parks such an event (its outbox row stays unpublished, an alarm fires) instead of blocking
the shard behind it. Every other error (throttling, outages, missing permissions or keys)
is retried until it passes: those heal with time or a fix, and keep the stream in order."""


@dataclass(frozen=True)
class StreamMapping:
    """How the outbox stream triggers the relay: the CDK event source mapping and the local
    stream poller are both built from this one value."""

    batch_size: int = 100
    bisect_on_error: bool = True
    max_retry_attempts: int | None = None
    """None: retry until the record is on the bus or older than `max_record_age_seconds`."""
    max_record_age_seconds: int = 6 * 3600
    """Well inside the stream's 24 h: a record still failing after 6 h goes to the on-failure
    DLQ (metadata only) before the stream could trim it, and its outbox row, never marked
    published, stays recoverable (`infra.ops.republish --unpublished`). The iterator-age
    alarm fires long before (RELAY_ITERATOR_AGE_ALARM_SECONDS)."""
    filters: tuple[dict[str, Any], ...] = (
        {"eventName": ["INSERT"], "dynamodb": {"NewImage": {OUTBOX_MARKER: {"S": ["1"]}}}},
    )
    """Only outbox inserts reach the function (state rows and published marks do not)."""


RELAY_MAPPING = StreamMapping()
RELAY_ITERATOR_AGE_ALARM_SECONDS = 5 * 60
"""The relay's stream iterator age above this pages on-call: events are not reaching the bus."""
RELAY_PUBLISH_DELAY_ALARM_SECONDS = 5 * 60
"""Oldest outbox row published in a period older than this (outbox age) pages on-call."""


@dataclass(frozen=True)
class RelayEntry:
    sequence_number: str
    entry: dict[str, Any]
    image: dict[str, Any]
    created_epoch: float | None = None
    """The stream record's ApproximateCreationDateTime (seconds)."""

    @property
    def event_id(self) -> str:
        return str(self.image["pk"]["S"]).removeprefix("OUTBOX#")

    @property
    def size(self) -> int:
        """The entry's size as PutEvents counts it (UTF-8 of source, detail-type, detail)."""
        return sum(
            len(str(self.entry[name]).encode()) for name in ("Source", "DetailType", "Detail")
        )


@dataclass
class ParsedBatch:
    entries: list[RelayEntry] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)
    """Sequence numbers of outbox inserts missing what an entry needs (parked)."""


def entry_from_item(item: dict[str, Any], bus_name: str) -> dict[str, Any]:
    """The PutEvents entry for an outbox row (stream image or low-level item)."""
    return {
        "Source": item["source"]["S"],
        "DetailType": item["detail_type"]["S"],
        "Detail": item["envelope"]["S"],
        "EventBusName": bus_name,
    }


def parse_stream(records: Iterable[dict[str, Any]], bus_name: str) -> ParsedBatch:
    """The outbox INSERTs among stream records, in stream order."""
    parsed = ParsedBatch()
    for record in records:
        if record.get("eventName") != "INSERT":
            continue
        image = record["dynamodb"].get("NewImage", {})
        if OUTBOX_MARKER not in image:
            continue
        sequence = record["dynamodb"]["SequenceNumber"]
        try:
            entry = entry_from_item(image, bus_name)
            json.loads(entry["Detail"])
        except (KeyError, TypeError, ValueError):
            parsed.malformed.append(sequence)
            continue
        created = record["dynamodb"].get("ApproximateCreationDateTime")
        parsed.entries.append(
            RelayEntry(
                sequence_number=sequence,
                entry=entry,
                image=image,
                created_epoch=float(created) if isinstance(created, int | float) else None,
            )
        )
    return parsed


def entries_from_stream(records: Iterable[dict[str, Any]], bus_name: str) -> list[RelayEntry]:
    """PutEvents entries for the outbox INSERTs among stream records, in stream order."""
    return parse_stream(records, bus_name).entries


def put_events_chunks(entries: list[RelayEntry]) -> Iterator[list[RelayEntry]]:
    """Consecutive chunks within PutEvents' limits (10 entries, 256 KB). An entry larger
    than a whole request gets a chunk of its own (EventBridge will refuse it: poison)."""
    chunk: list[RelayEntry] = []
    size = 0
    for entry in entries:
        full = len(chunk) == PUT_EVENTS_MAX_ENTRIES or size + entry.size > PUT_EVENTS_MAX_BYTES
        if chunk and full:
            yield chunk
            chunk, size = [], 0
        chunk.append(entry)
        size += entry.size
    if chunk:
        yield chunk


def table_name_from_stream_arn(arn: str) -> str:
    """`arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` -> `<name>`."""
    return arn.split(":table/", 1)[1].split("/stream/", 1)[0]


def backoff_seconds(
    attempt: int, *, base: float, cap: float, rng: random.Random | None = None
) -> float:
    """Exponential backoff with "equal jitter" (half fixed, half random) for `attempt` >= 1:
    retries spread out, yet never retry immediately."""
    ceiling = min(cap, base * 2.0 ** max(0, attempt - 1))
    return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)


def utc_from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
